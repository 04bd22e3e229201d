package dev.sluice.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * SUM(EventDuration) per (UserID, EventType) over a whole playtime file, streamed row group by row group through
 * {@link ParquetColumnReader}. Inside a row group it sums into an array indexed by the columns' dictionary ids
 * ({@code user id × event types + type id}), so the hot loop does no hashing and no string work; strings are looked
 * up once per row group when the group's sums are merged into the file's totals.
 *
 * <p>Memory: one row group's columns (see {@link ParquetColumnReader}) plus the totals, which grow with the number of
 * distinct users, never with rows; {@code maxUsers} caps them. A row group whose id grid would be too large for an
 * array (very many distinct users times event types) is summed through a map instead: slower, same result.
 *
 * <p>A row that breaks a rule makes the whole file bad ({@link BadParquetFileException} naming the row, the column
 * and the rule, never a value): a file counts entirely or not at all.
 *
 * <pre>{@code
 * PlaytimeTotals totals = new PlaytimeAggregator(PlaytimeAggregator.Rules.DEFAULTS).aggregate(file);
 * }</pre>
 */
public final class PlaytimeAggregator {
    /** The largest id grid summed in an array: 8 MiB of longs. */
    private static final int MAX_GRID_CELLS = 1 << 20;
    private static final String RESERVED_TYPE = "total";

    /** What to do with a row whose UserID, EventType or EventDuration is null. */
    public enum NullRows {
        /** The file is bad: the pipeline's rule, since a null would silently lower a user's total. */
        REJECT,
        /** Leave the row out and count it: SQL's SUM semantics, for comparing with other engines. */
        SKIP
    }

    /**
     * The rules a file must meet.
     *
     * @param nullRows           null handling (default {@link NullRows#REJECT})
     * @param maxEventDuration   largest EventDuration of one row in seconds (default 86,400: one day); larger is absurd
     * @param maxUsers           most distinct users in one file (default 500,000), bounding memory and the size of the
     *                           one write that applies the file
     */
    public record Rules(NullRows nullRows, Long maxEventDuration, Integer maxUsers) {
        public static final Rules DEFAULTS = new Rules(null, null, null);

        public Rules {
            nullRows = nullRows == null ? NullRows.REJECT : nullRows;
            maxEventDuration = maxEventDuration == null ? 86_400L : maxEventDuration;
            maxUsers = maxUsers == null ? 500_000 : maxUsers;
            if (maxEventDuration < 0) {
                throw new IllegalArgumentException("maxEventDuration must not be negative, was " + maxEventDuration);
            }
            if (maxUsers < 1) {
                throw new IllegalArgumentException("maxUsers must be at least 1, was " + maxUsers);
            }
        }
    }

    private final Rules rules;

    public PlaytimeAggregator(Rules rules) {
        this.rules = rules;
    }

    /**
     * @throws BadParquetFileException the file is not a playtime Parquet file or a row breaks a rule
     * @throws IOException             the file could not be read
     */
    public PlaytimeTotals aggregate(Path file) throws IOException {
        TreeMap<String, Map<String, Long>> perUser = new TreeMap<>();
        long rowsBefore = 0;
        long skipped = 0;
        int groups = 0;
        try (ParquetColumnReader reader = ParquetColumnReader.open(file, PlaytimeParquetWriter.COLUMNS)) {
            for (RowGroupBatch batch = reader.nextRowGroup(); batch != null; batch = reader.nextRowGroup()) {
                skipped += sumRowGroup(batch, rowsBefore, perUser);
                rowsBefore += batch.rows();
                groups++;
            }
        }
        return new PlaytimeTotals(perUser, rowsBefore, skipped, groups);
    }

    /** Adds one row group's sums to {@code perUser}; returns the rows skipped for nulls. */
    private long sumRowGroup(RowGroupBatch batch, long rowsBefore, Map<String, Map<String, Long>> perUser)
            throws BadParquetFileException {
        StringColumn users = batch.strings(0);
        StringColumn types = batch.strings(1);
        Int64Column durations = batch.int64s(2);
        int typeCount = types.dictionarySize();
        long cells = (long) users.dictionarySize() * typeCount;
        GroupSums sums = cells <= MAX_GRID_CELLS ? new GridSums((int) cells) : new MapSums();
        long skipped = 0;
        for (int row = 0; row < batch.rows(); row++) {
            int user = users.id(row);
            int type = types.id(row);
            if (user == StringColumn.NULL_ID || type == StringColumn.NULL_ID || durations.isNull(row)) {
                if (rules.nullRows() == NullRows.REJECT) {
                    throw rowError(rowsBefore, row, (user == StringColumn.NULL_ID ? "UserID"
                            : type == StringColumn.NULL_ID ? "EventType" : "EventDuration") + " is null");
                }
                skipped++;
                continue;
            }
            long duration = durations.value(row);
            if (duration < 0) {
                throw rowError(rowsBefore, row, "EventDuration is negative");
            }
            if (duration > rules.maxEventDuration()) {
                throw rowError(rowsBefore, row, "EventDuration exceeds " + rules.maxEventDuration() + " seconds");
            }
            sums.add((long) user * typeCount + type, duration);
        }
        mergeInto(perUser, users, types, sums);
        return skipped;
    }

    private void mergeInto(Map<String, Map<String, Long>> perUser, StringColumn users, StringColumn types,
                           GroupSums sums) throws BadParquetFileException {
        int typeCount = types.dictionarySize();
        sums.forEachCell((cell, seconds) -> {
            String user = users.dictionaryValue((int) (cell / typeCount));
            String type = types.dictionaryValue((int) (cell % typeCount));
            if (user.isEmpty()) {
                throw new BadParquetFileException("column UserID: empty user ids are not allowed");
            }
            if (type.isEmpty() || type.equals(RESERVED_TYPE)) {
                throw new BadParquetFileException("column EventType: an event type must not be empty or \""
                        + RESERVED_TYPE + "\" (the per-user sum)");
            }
            Map<String, Long> byType = perUser.get(user);
            if (byType == null) {
                if (perUser.size() >= rules.maxUsers()) {
                    throw new BadParquetFileException("file has more than " + rules.maxUsers() + " distinct users");
                }
                byType = new TreeMap<>();
                perUser.put(user, byType);
            }
            byType.merge(type, seconds, Math::addExact);
        });
    }

    private static BadParquetFileException rowError(long rowsBefore, int row, String rule) {
        return new BadParquetFileException("row " + (rowsBefore + row + 1) + ": " + rule);
    }

    @FunctionalInterface
    private interface CellVisitor {
        void visit(long cell, long seconds) throws BadParquetFileException;
    }

    /** One row group's sums per id cell ({@code user id × event types + type id}). */
    private sealed interface GroupSums permits GridSums, MapSums {
        void add(long cell, long seconds);

        /** Visits every cell that received at least one row. */
        void forEachCell(CellVisitor visitor) throws BadParquetFileException;
    }

    /** The fast path: a dense array over the id grid, and which cells were touched. */
    private static final class GridSums implements GroupSums {
        private final long[] sums;
        private final boolean[] touched;

        GridSums(int cells) {
            sums = new long[cells];
            touched = new boolean[cells];
        }

        @Override
        public void add(long cell, long seconds) {
            int i = (int) cell;
            sums[i] += seconds;
            touched[i] = true;
        }

        @Override
        public void forEachCell(CellVisitor visitor) throws BadParquetFileException {
            for (int i = 0; i < sums.length; i++) {
                if (touched[i]) {
                    visitor.visit(i, sums[i]);
                }
            }
        }
    }

    /** The fallback for grids too large for an array: only touched cells take memory. */
    private static final class MapSums implements GroupSums {
        private final Map<Long, Long> sums = new HashMap<>();

        @Override
        public void add(long cell, long seconds) {
            sums.merge(cell, seconds, Long::sum);
        }

        @Override
        public void forEachCell(CellVisitor visitor) throws BadParquetFileException {
            for (Map.Entry<Long, Long> e : sums.entrySet()) {
                visitor.visit(e.getKey(), e.getValue());
            }
        }
    }
}
