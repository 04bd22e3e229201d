-- The raw archiver's rejects: messages that are not a tracking event it can archive (not JSON, id, event or
-- timestamp missing, a timestamp in an unexpected format), with the reason and the raw body, so the message can be
-- deleted from the queue without being lost. The SQS message id is unique: a redelivered reject adds nothing.
-- The raw body holds personal data: restrict access to this table.
CREATE TABLE IF NOT EXISTS tracking_rejects
(
  id            BIGSERIAL   PRIMARY KEY,
  queue         TEXT        NOT NULL,
  message_id    TEXT        NOT NULL UNIQUE,
  receive_count INTEGER     NOT NULL,
  reason        TEXT        NOT NULL,
  raw_body      TEXT        NOT NULL,
  rejected_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
