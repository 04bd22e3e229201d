package dev.sluice.parquet.totals;

/** What to do with a row whose group-by or summed value is null. */
public enum NullRows {
    /** The file is bad: the default, since a null would silently lower a group's sum. */
    REJECT,
    /** Leave the row out and count it: SQL's SUM semantics, for comparing with other engines. */
    SKIP
}
