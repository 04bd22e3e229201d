-- The warehouse loader's tables (docs/pipelines/tracking.md, "Warehouse load"). ${ledger} and ${load_errors} are the
-- configured names (defaults tracking_loaded_files, tracking_load_errors), validated identifiers before Flyway.

-- One row per raw file version loaded, written in the same transaction as the file's rows: a file is in the ledger
-- exactly when its rows are in the events table. The primary key makes a second load of the same file fail.
CREATE TABLE IF NOT EXISTS ${ledger}
(
  file_key           TEXT        NOT NULL,
  etag               TEXT        NOT NULL,
  rows_loaded        BIGINT      NOT NULL,
  duplicates_skipped BIGINT      NOT NULL,
  errors             BIGINT      NOT NULL,
  loaded_at          TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (file_key, etag)
);

-- Lines of raw files that could not be loaded: the reason names the field and the rule; raw_line is the line as
-- read (invalid UTF-8 and NUL characters replaced by U+FFFD), for access-controlled inspection and replay.
CREATE TABLE IF NOT EXISTS ${load_errors}
(
  file_key    TEXT        NOT NULL,
  etag        TEXT        NOT NULL,
  line_number BIGINT      NOT NULL,
  reason      TEXT        NOT NULL,
  raw_line    TEXT        NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (file_key, etag, line_number)
);
