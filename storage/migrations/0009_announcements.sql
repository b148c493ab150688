-- Announcements by homeroom teachers (to their class) and admins (to any class or the whole school). Each is
-- queued in the outbox with ref 'ann:<id>' per recipient account; what reached whom is read back from there.
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    author_user_id INTEGER NOT NULL,
    class_name TEXT,                                -- NULL: the whole school
    students_too INTEGER NOT NULL,                  -- 1: students as well as parents
    sender_kind TEXT NOT NULL CHECK (sender_kind IN ('homeroom', 'admin')),
    sender_name TEXT,                               -- the e-diary name it is signed with, if any
    kind TEXT NOT NULL CHECK (kind IN ('text', 'photo')),
    body TEXT NOT NULL DEFAULT '',                  -- the text, or the photo's caption
    source_chat_id INTEGER NOT NULL,                -- a photo stays in the author's chat (copyMessage)
    source_message_id INTEGER NOT NULL,
    recipients INTEGER NOT NULL,                    -- accounts it was queued for
    created_at TEXT NOT NULL,
    UNIQUE (source_chat_id, source_message_id)      -- one draft is sent once, however often «Send» is pressed
);
CREATE INDEX announcements_author ON announcements (author_user_id, created_at);

-- Features find their outbox items again by ref (an announcement's delivery).
CREATE INDEX outbox_ref ON outbox (ref) WHERE ref IS NOT NULL;
