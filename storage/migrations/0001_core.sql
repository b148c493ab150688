-- Telegram users the bot has talked to. No names, usernames or phones: only the id and preferences.
CREATE TABLE users (
    user_id INTEGER PRIMARY KEY,
    language TEXT,                          -- saved choice ('ru', 'en'); NULL: take Telegram's
    telegram_language TEXT,
    is_active INTEGER NOT NULL DEFAULT 1,   -- 0 after Telegram's 403 until the user writes again
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

-- Which e-diary people a Telegram account acts as (several: a teacher who is also a parent).
CREATE TABLE links (
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('student', 'parent', 'teacher')),
    linked_at TEXT NOT NULL,
    PRIMARY KEY (user_id, person_id)
);
CREATE INDEX links_person ON links (person_id);

-- aiogram FSM: unfinished conversations survive a restart.
CREATE TABLE fsm_states (
    storage_key TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    state TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
CREATE INDEX fsm_user ON fsm_states (user_id);

-- Security-relevant events: links, unlinks, failed codes, blocks. Never a code in clear.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    event TEXT NOT NULL,
    person_id TEXT,
    detail TEXT
);
CREATE INDEX audit_user ON audit_log (user_id, event, at);

-- Everything that must reach a user goes through here, written in the same transaction as its cause.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('send_message', 'copy_message', 'send_document')),
    payload TEXT NOT NULL,                  -- JSON arguments of the Bot API method
    kind TEXT NOT NULL,                     -- 'grade', 'homework', 'timetable', 'message', 'digest', ...
    dedupe_key TEXT UNIQUE,                 -- the same thing is never queued twice
    ref TEXT,                               -- what the feature needs to find it again (e.g. 'msg:42')
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before TEXT NOT NULL,               -- quiet hours defer delivery to here (UTC ISO)
    next_attempt_at TEXT NOT NULL,          -- UTC ISO
    last_error TEXT,
    sent_message_id INTEGER,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_chat ON outbox (chat_id, status);
CREATE INDEX outbox_sent_message ON outbox (chat_id, sent_message_id);

-- Per-user alert settings (/settings). NULL homework: the role's default (students on, parents off).
CREATE TABLE preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
    alert_grades INTEGER NOT NULL DEFAULT 1,
    alert_homework INTEGER,
    alert_timetable INTEGER NOT NULL DEFAULT 1,
    alert_messages INTEGER NOT NULL DEFAULT 1,
    quiet_start TEXT NOT NULL DEFAULT '22:00',   -- local HH:MM; equal start and end: no quiet hours
    quiet_end TEXT NOT NULL DEFAULT '07:00',
    reminder_time TEXT NOT NULL DEFAULT '18:00',
    digest_mode INTEGER NOT NULL DEFAULT 0,      -- 0 immediately, 1 one daily summary
    digest_time TEXT NOT NULL DEFAULT '19:00'
);
