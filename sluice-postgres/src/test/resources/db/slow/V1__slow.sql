-- Stands for a migration that runs longer than a sink's statement timeout (an index on a large table).
SELECT pg_sleep(2);
CREATE TABLE slow_migrated (id int PRIMARY KEY);
