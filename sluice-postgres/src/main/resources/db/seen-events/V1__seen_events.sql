-- The events a dedupe processor stored, one row per key (prefixed with its pipeline's name): remembered from the
-- later of the event's time and its arrival, and forgotten a horizon after that (the remember_from index).
CREATE TABLE ${table} (
    event_key     text        PRIMARY KEY,
    event_time    timestamptz NOT NULL,
    remember_from timestamptz NOT NULL
);
CREATE INDEX ${table}_remember_from ON ${table} (remember_from);
