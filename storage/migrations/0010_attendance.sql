-- Attendance: absences and lateness are records the poller sees (alert_seen.kind 'attendance') and alerts about
-- (alert_digest_items.kind 'attendance'), with a silent first sync of their own (alert_baselines.kind: a student
-- followed for grades before this version is not yet followed for attendance) and a setting of their own.
-- SQLite cannot change a CHECK constraint or a primary key in place: those tables are rebuilt with their rows.

-- NULL: the role's default (on for parents, off for students)
ALTER TABLE preferences ADD COLUMN alert_attendance INTEGER;

CREATE TABLE alert_seen_new (
    class_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('grade', 'lesson', 'homework', 'attendance')),
    record_key TEXT NOT NULL,
    student_id TEXT,
    fingerprint TEXT NOT NULL,
    payload TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    missing_count INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (class_name, kind, record_key)
);
INSERT INTO alert_seen_new (class_name, kind, record_key, student_id, fingerprint, payload, revision, missing_count,
    updated_at)
    SELECT class_name, kind, record_key, student_id, fingerprint, payload, revision, missing_count, updated_at
    FROM alert_seen;
DROP TABLE alert_seen;
ALTER TABLE alert_seen_new RENAME TO alert_seen;
CREATE INDEX alert_seen_student ON alert_seen (student_id);

-- kind '': grades, the timetable and homework (as before); 'attendance': absences and lateness
CREATE TABLE alert_baselines_new (
    class_name TEXT NOT NULL,
    student_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'attendance')),
    synced_at TEXT NOT NULL,
    PRIMARY KEY (class_name, student_id, kind)
);
INSERT INTO alert_baselines_new (class_name, student_id, kind, synced_at)
    SELECT class_name, student_id, '', synced_at FROM alert_baselines;
DROP TABLE alert_baselines;
ALTER TABLE alert_baselines_new RENAME TO alert_baselines;

CREATE TABLE alert_digest_items_new (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('grades', 'timetable', 'attendance')),
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO alert_digest_items_new (id, user_id, kind, payload, created_at)
    SELECT id, user_id, kind, payload, created_at FROM alert_digest_items;
DROP TABLE alert_digest_items;
ALTER TABLE alert_digest_items_new RENAME TO alert_digest_items;
CREATE INDEX alert_digest_user ON alert_digest_items (user_id, id);
