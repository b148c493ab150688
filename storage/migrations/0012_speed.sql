-- Speed (issue 15): what the poll and the minute jobs ask for at every turn, answered without reading whole tables.

-- A poll that finds no change compares keys and fingerprints only (storage/seen.py fingerprints): from an index,
-- without reading the records' payloads.
CREATE INDEX alert_seen_fingerprints ON alert_seen (class_name, kind, record_key, fingerprint, student_id, missing_count);

-- Reminders look up tomorrow's homework among what the poller saw (storage/seen.py homework_due).
CREATE INDEX alert_seen_homework_due ON alert_seen (json_extract(payload, '$.due')) WHERE kind = 'homework';

-- Nobody's reminder is due before the earliest reminder time (bot/alerts/reminders.py asks first); the reminders
-- already sent for a day are read together, and the past ones pruned, by their due date.
CREATE INDEX preferences_reminder_time ON preferences (reminder_time);
CREATE INDEX alert_reminders_due ON alert_reminders_sent (due);

-- Who follows which class is rebuilt only when what it is built from changed: the links (counter 'links'), and
-- the accounts' reachability, language and alert settings (counter 'accounts'). Triggers count every change,
-- whoever makes it (another process too); the poller compares the counters (storage/followers.py).
CREATE TABLE change_counters (
    name TEXT PRIMARY KEY,
    counter INTEGER NOT NULL DEFAULT 0
);
INSERT INTO change_counters (name) VALUES ('links'), ('accounts');

CREATE TRIGGER links_counted_insert AFTER INSERT ON links
BEGIN
    UPDATE change_counters SET counter = counter + 1 WHERE name = 'links';
END;
CREATE TRIGGER links_counted_delete AFTER DELETE ON links
BEGIN
    UPDATE change_counters SET counter = counter + 1 WHERE name = 'links';
END;
CREATE TRIGGER links_counted_update AFTER UPDATE ON links
BEGIN
    UPDATE change_counters SET counter = counter + 1 WHERE name = 'links';
END;
CREATE TRIGGER accounts_counted_user AFTER UPDATE OF is_active, language, telegram_language ON users
WHEN OLD.is_active IS NOT NEW.is_active OR OLD.language IS NOT NEW.language
    OR OLD.telegram_language IS NOT NEW.telegram_language
BEGIN
    UPDATE change_counters SET counter = counter + 1 WHERE name = 'accounts';
END;
CREATE TRIGGER accounts_counted_user_delete AFTER DELETE ON users
BEGIN
    UPDATE change_counters SET counter = counter + 1 WHERE name = 'accounts';
END;
CREATE TRIGGER accounts_counted_preferences_insert AFTER INSERT ON preferences
BEGIN
    UPDATE change_counters SET counter = counter + 1 WHERE name = 'accounts';
END;
CREATE TRIGGER accounts_counted_preferences_update AFTER UPDATE ON preferences
BEGIN
    UPDATE change_counters SET counter = counter + 1 WHERE name = 'accounts';
END;
CREATE TRIGGER accounts_counted_preferences_delete AFTER DELETE ON preferences
BEGIN
    UPDATE change_counters SET counter = counter + 1 WHERE name = 'accounts';
END;
