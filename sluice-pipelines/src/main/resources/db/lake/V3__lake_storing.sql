-- Files the pipeline is storing (StoringLedger): a row is written before a file's PutObject and deleted once its
-- events are in lake_seen. A row left by a crash names an object that may be stored with its events unrecorded: the
-- next start records them from the object, so their redelivered messages are dropped as copies.
CREATE TABLE lake_storing (
    object_key text        PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now()
);
