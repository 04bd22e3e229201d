-- The logins pipeline's tables. ${table} and ${error_table} are the configured names (defaults user_logins and
-- login_errors); they are validated identifiers before they reach Flyway.

-- Exactly the table the challenge gives (shared/fixtures/logins/user_logins.sql), so existing queries keep working.
CREATE TABLE IF NOT EXISTS ${table}(
    user_id             varchar(128),
    device_type         varchar(32),
    masked_ip           varchar(256),
    masked_device_id    varchar(256),
    locale              varchar(32),
    app_version         integer,
    create_date         date
);

-- Added by Sluice: the app_version string as sent (the integer column is its order-preserving encoding) and the
-- SQS message id, whose unique index makes every write idempotent: a redelivered message never adds a row.
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS app_version_text varchar(32);
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS source_message_id varchar(128);
CREATE UNIQUE INDEX IF NOT EXISTS ${table}_source_message_id ON ${table} (source_message_id);

-- Rejected messages: the raw body is kept so nothing is lost (it holds PII: restrict access to this table).
CREATE TABLE IF NOT EXISTS ${error_table}(
    id              bigserial PRIMARY KEY,
    queue           text        NOT NULL,
    message_id      text        NOT NULL UNIQUE,
    receive_count   integer     NOT NULL,
    reason          text        NOT NULL,
    raw_body        text        NOT NULL,
    rejected_at     timestamptz NOT NULL DEFAULT now()
);
