-- Operations: /healthz proves that the database still takes writes by writing this one row.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
);
