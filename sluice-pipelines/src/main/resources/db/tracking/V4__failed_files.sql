-- Raw files the warehouse load could not load (docs/pipelines/tracking.md, "A file that keeps failing"): one row per
-- file version, with the tries so far and the latest reason (value-free). After maxTries the file is skipped, so it
-- never holds back newer files. ${failed_files} is the configured name (default tracking_failed_files). Deleting a
-- row lets the next runs try the file again.
CREATE TABLE IF NOT EXISTS ${failed_files}
(
  file_key        TEXT        NOT NULL,
  etag            TEXT        NOT NULL,
  tries           INTEGER     NOT NULL,
  reason          TEXT        NOT NULL,
  first_failed_at TIMESTAMPTZ NOT NULL,
  last_failed_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (file_key, etag)
);
