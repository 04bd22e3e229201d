-- Events stored in the lake, by event_uuid, written after their file is stored (DedupingSink, PostgresSeenEvents).
CREATE TABLE lake_seen (
    event_key     text        PRIMARY KEY,
    event_time    timestamptz NOT NULL,
    -- the later of event time and arrival: the row is purged a horizon after it
    remember_from timestamptz NOT NULL
);
CREATE INDEX lake_seen_remember_from ON lake_seen (remember_from);

-- One row per compaction, written before its output is stored (CompactionLog).
CREATE TABLE lake_compactions (
    output_key  text        PRIMARY KEY,
    input_keys  text[]      NOT NULL,
    state       text        NOT NULL CHECK (state IN ('started', 'done')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX lake_compactions_started ON lake_compactions (state) WHERE state = 'started';

-- Rejected records of the lake pipeline, Kinesis or SQS (LakeErrorSink): source is the record's coordinates.
CREATE TABLE lake_errors (
    id          bigserial   PRIMARY KEY,
    source      text        NOT NULL UNIQUE,
    reason      text        NOT NULL,
    raw_body    text        NOT NULL,
    rejected_at timestamptz NOT NULL DEFAULT now()
);
