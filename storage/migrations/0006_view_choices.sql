-- What an account last chose to look at where a screen offers several (a parent of several children: one child,
-- or all of them), per screen. The feature checks a choice is still valid before using it, and forgets one that
-- is not; /forget erases them (the timetable's listener).
CREATE TABLE view_choices (
    user_id INTEGER NOT NULL,
    view TEXT NOT NULL,                     -- the screen that remembers: 'timetable'
    choice TEXT NOT NULL,                   -- as that feature encodes it (the timetable: '<kind>:<person id>')
    PRIMARY KEY (user_id, view)
);
