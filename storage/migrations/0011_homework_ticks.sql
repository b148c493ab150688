-- Homework a student ticked as done in the bot (the e-diary never hears of it): shown as ✅ in /homework to the
-- student and their parents, and left out of the evening reminder. Ticks of homework whose day has passed are
-- pruned; /forget erases the ticks the account made.
CREATE TABLE homework_ticks (
    student_id TEXT NOT NULL,               -- the e-diary student who did it
    homework_id TEXT NOT NULL,              -- the e-diary's homework id
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,  -- the account that ticked it
    due TEXT NOT NULL,                      -- YYYY-MM-DD, school-local
    ticked_at TEXT NOT NULL,
    PRIMARY KEY (student_id, homework_id)
);
CREATE INDEX homework_ticks_user ON homework_ticks (user_id);
CREATE INDEX homework_ticks_due ON homework_ticks (due);
