-- The ETag of each input as the compaction read it (CompactionLog), in input_keys' order: the compaction deletes only
-- that version of an input, and readers hide only that version, so a file rewritten meanwhile is kept, shown and
-- compacted again. NULL on rows written before this column (and until the inputs are read): hidden by key.
ALTER TABLE lake_compactions ADD COLUMN input_etags text[];
