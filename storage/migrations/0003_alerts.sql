-- Alerts: what the poller has seen of each class, so that only real changes reach families.
-- kind: 'grade' (student_id set), 'lesson' (today and tomorrow), 'homework' (due within a week).
CREATE TABLE alert_seen (
    class_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('grade', 'lesson', 'homework')),
    record_key TEXT NOT NULL,               -- the provider's stable key (grade id, lesson slot, homework id)
    student_id TEXT,
    fingerprint TEXT NOT NULL,              -- hash of the content a correction can change
    payload TEXT NOT NULL,                  -- JSON snapshot, to say what changed ("3 → 4")
    revision INTEGER NOT NULL DEFAULT 0,    -- +1 per change: a grade corrected twice gives two alerts
    missing_count INTEGER NOT NULL DEFAULT 0,  -- consecutive successful polls without this record
    updated_at TEXT NOT NULL,
    PRIMARY KEY (class_name, kind, record_key)
);
CREATE INDEX alert_seen_student ON alert_seen (student_id);

-- Whose records have had their silent first sync: student_id '' stands for the class itself.
CREATE TABLE alert_baselines (
    class_name TEXT NOT NULL,
    student_id TEXT NOT NULL DEFAULT '',
    synced_at TEXT NOT NULL,
    PRIMARY KEY (class_name, student_id)
);

-- One deadline reminder per user, homework and due date.
CREATE TABLE alert_reminders_sent (
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    homework_id TEXT NOT NULL,
    due TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (user_id, homework_id, due)
);

-- Alerts waiting for the user's daily summary (digest mode), rendered when the summary goes out: each
-- summary takes the items created before its scheduled moment, later ones wait for the next day's.
CREATE TABLE alert_digest_items (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('grades', 'timetable')),
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX alert_digest_user ON alert_digest_items (user_id, id);
