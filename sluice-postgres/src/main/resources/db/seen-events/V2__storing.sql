-- The files being stored by a sink a dedupe wraps, one row per object (prefixed with its pipeline's name): written
-- before the put, dropped in the transaction that records the file's events in ${table}, or once the file is deleted
-- again. A row left by a crash names a file whose events were never acknowledged: the next start deletes it.
CREATE TABLE ${table}_storing (
    object_key text        PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now()
);
