-- A pipeline's own migration, as the shipped logins keep theirs: ${table} and ${error_table} are configured names.
CREATE TABLE ${table} (
    order_id    varchar(64) NOT NULL,
    amount      numeric,
    message_key varchar(128) NOT NULL
);
CREATE UNIQUE INDEX ${table}_message_key ON ${table} (message_key);

CREATE TABLE ${error_table} (
    id          bigserial   PRIMARY KEY,
    source      text        NOT NULL,
    natural_key text        NOT NULL,
    coordinates text        NOT NULL,
    reason      text        NOT NULL,
    raw_body    text        NOT NULL,
    rejected_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, natural_key)
);
