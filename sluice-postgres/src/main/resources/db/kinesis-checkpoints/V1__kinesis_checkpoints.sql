-- One row per shard of a Kinesis stream: every record up to sequence_number is durable; a finished shard was read
-- to its end (split or merged) with every record durable, and is never read again.
CREATE TABLE ${table} (
    stream          text        NOT NULL,
    shard_id        text        NOT NULL,
    -- Up to 129 decimal digits (Kinesis); numeric so that it compares as a number. NULL only for a finished shard
    -- that held no record.
    sequence_number numeric,
    finished        boolean     NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream, shard_id)
);
