-- The student's sex as the e-diary gives it, so a relayed message says «родитель ученицы» for a girl
-- (NULL: not known, neutral wording). Refreshed with the names on every family message.
ALTER TABLE message_threads ADD COLUMN student_sex TEXT;
