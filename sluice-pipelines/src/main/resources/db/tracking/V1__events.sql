-- The tracking warehouse table: shared/fixtures/tracking/events_redshift.sql translated for PostgreSQL.
-- ${events} is the configured name (default events); it is a validated identifier before it reaches Flyway.
-- Translation: Redshift's SORTKEY on "timestamp" becomes a b-tree index; id is unique, so an event loads once even
-- when it arrived twice (the loader skips ids already present). Column types are otherwise exactly the challenge's.
CREATE TABLE IF NOT EXISTS ${events}
(
  id                                 VARCHAR(36) NOT NULL PRIMARY KEY,
  anonymous_id                       VARCHAR(36) NOT NULL,
  user_id                            INTEGER,
  context_app_version                VARCHAR(8),
  context_device_ad_tracking_enabled BOOLEAN,
  context_device_manufacturer        VARCHAR(32),
  context_device_model               VARCHAR(32),
  context_device_type                VARCHAR(16) NOT NULL,
  context_library_name               VARCHAR(16),
  context_library_version            VARCHAR(8),
  context_locale                     VARCHAR(5),
  context_network_wifi               BOOLEAN,
  context_os_name                    VARCHAR(32),
  context_network_carrier            VARCHAR(16),
  context_timezone                   VARCHAR(16),
  context_traits_taxfix_language     VARCHAR(5),
  event                              VARCHAR(32) NOT NULL,
  event_text                         VARCHAR(64) NOT NULL,
  original_timestamp                 TIMESTAMPTZ,
  timestamp                          TIMESTAMP   NOT NULL,
  sent_at                            TIMESTAMP   NOT NULL,
  received_at                        TIMESTAMP   NOT NULL
);

CREATE INDEX IF NOT EXISTS ${events}_timestamp ON ${events} (timestamp);
