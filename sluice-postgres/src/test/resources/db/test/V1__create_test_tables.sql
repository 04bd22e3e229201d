CREATE TABLE notes (
    message_id text PRIMARY KEY,
    body       text,
    short_code varchar(4),
    amount     integer,
    created_at timestamptz
);

CREATE TABLE wide_rows (
    message_id text PRIMARY KEY,
    c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text, c9 integer
);

CREATE TABLE test_errors (
    id            bigserial   PRIMARY KEY,
    queue         text        NOT NULL,
    message_id    text        NOT NULL UNIQUE,
    receive_count int         NOT NULL,
    reason        text        NOT NULL,
    raw_body      text        NOT NULL,
    rejected_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE strict_rows (
    message_id text    PRIMARY KEY,
    amount     integer NOT NULL CONSTRAINT amount_not_negative CHECK (amount >= 0)
);
