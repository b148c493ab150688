-- School events: each reminder ('eve': the day before, 'morning': on the day) once per account, event and the
-- event's day, so an event moved to another day is reminded again. The events themselves are the e-diary's.
CREATE TABLE event_reminders_sent (
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event_day TEXT NOT NULL,                -- YYYY-MM-DD, school-local
    moment TEXT NOT NULL CHECK (moment IN ('eve', 'morning')),
    sent_at TEXT NOT NULL,
    PRIMARY KEY (user_id, event_id, event_day, moment)
);
CREATE INDEX event_reminders_day ON event_reminders_sent (event_day);
