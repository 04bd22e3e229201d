-- From here on lake_storing is the dedupe processor's ledger (docs/plugins/dedupe.md): a row names a file none of
-- whose events was recorded or acknowledged, and the next start deletes that file so the replay writes its events
-- again. A row left by the lake wired in Java meant something else: its file's events may be recorded in lake_seen
-- and acknowledged already (that lake's start recorded them from the file), so deleting the file could lose them.
-- Upgrading over such a row is refused, and the row kept, until the previous release has settled it.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM lake_storing) THEN
        RAISE EXCEPTION 'lake_storing holds % file(s) the previous release was storing when it stopped: start the previous release once (its start records their events from the files), stop it gracefully, then start this one',
            (SELECT count(*) FROM lake_storing);
    END IF;
END $$;
