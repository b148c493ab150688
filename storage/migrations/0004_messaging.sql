-- Conversations with teachers. A thread is one family-side person (a parent or a student), one teacher
-- and the student it is about. Names are the e-diary's (a snapshot refreshed on every family message),
-- so relaying and /inbox never depend on the e-diary answering. No Telegram names anywhere.
CREATE TABLE message_threads (
    id INTEGER PRIMARY KEY,
    sender_person_id TEXT NOT NULL,
    sender_role TEXT NOT NULL CHECK (sender_role IN ('parent', 'student')),
    teacher_id TEXT NOT NULL,
    student_id TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    teacher_name TEXT NOT NULL,
    teacher_subjects TEXT NOT NULL DEFAULT '',   -- joined with ', '
    student_name TEXT NOT NULL,
    class_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_message_at TEXT NOT NULL,
    UNIQUE (sender_person_id, teacher_id, student_id)
);
CREATE INDEX message_threads_teacher ON message_threads (teacher_id, last_message_at);

-- One row per message; media stay in Telegram (relayed with copyMessage from source chat/message).
CREATE TABLE thread_messages (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES message_threads(id) ON DELETE CASCADE,
    from_teacher INTEGER NOT NULL,                 -- 1: teacher to family, 0: family to teacher
    author_user_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'photo', 'document')),
    body TEXT NOT NULL DEFAULT '',                 -- the text, or the caption
    file_name TEXT,
    source_chat_id INTEGER NOT NULL,
    source_message_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    awaiting_recipient INTEGER NOT NULL DEFAULT 0, -- 1: nobody on the other side has linked yet
    ediary_state TEXT CHECK (ediary_state IN ('pending', 'sent')),
    UNIQUE (source_chat_id, source_message_id)     -- one Telegram message is stored (and relayed) once
);
CREATE INDEX thread_messages_thread ON thread_messages (thread_id, id);
CREATE INDEX thread_messages_author ON thread_messages (author_user_id, created_at);
CREATE INDEX thread_messages_awaiting ON thread_messages (awaiting_recipient, thread_id);

-- What each account has read (unread = the other side's messages after last_read_id).
CREATE TABLE thread_reads (
    thread_id INTEGER NOT NULL REFERENCES message_threads(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    last_read_id INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);

-- A teacher's account muted a thread: messages are stored and shown in /inbox, but not sent to the chat.
CREATE TABLE thread_mutes (
    thread_id INTEGER NOT NULL REFERENCES message_threads(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    muted_at TEXT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
