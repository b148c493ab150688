-- One-time codes that link a Telegram account to an e-diary person. Only a keyed hash (HMAC-SHA256 with
-- CODE_SECRET) is stored, never the code. A code is valid while unused, unrevoked and before expires_at.
CREATE TABLE link_codes (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    person_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('student', 'parent', 'teacher')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    issued_by INTEGER,                      -- Telegram id of the admin or teacher who issued it (NULL: the CLI)
    used_at TEXT,
    used_by INTEGER,                        -- Telegram id that redeemed it (cleared by /forget)
    revoked_at TEXT
);
CREATE INDEX link_codes_person ON link_codes (person_id);

-- Failed code attempts for the rate limit (5 per 15 minutes). Keyed by an HMAC of the Telegram id and
-- pruned after the window, so the table never holds a readable id or anything older than 15 minutes.
CREATE TABLE code_attempts (
    user_key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX code_attempts_user ON code_attempts (user_key, at);
