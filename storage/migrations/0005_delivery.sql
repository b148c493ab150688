-- One row per lease: which running instance polls the e-diary and sends the outbox.
-- A holder renews its lease well before expires_at; another instance takes over only after it expires.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,                   -- host:pid:random of the holding process
    acquired_at TEXT NOT NULL,              -- UTC ISO
    renewed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- When the item went to Telegram: an old 'sending' row means its sender died mid-send.
ALTER TABLE outbox ADD COLUMN claimed_at TEXT;
