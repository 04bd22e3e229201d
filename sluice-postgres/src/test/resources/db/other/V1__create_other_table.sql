CREATE TABLE other_rows (
    message_id text PRIMARY KEY
);
