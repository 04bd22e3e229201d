package dev.sluice.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * SUM(EventDuration) per (UserID, EventType) over a whole playtime file, streamed row group by row group through
 * {@link ParquetColumnReader}. Inside a row group it sums into an array indexed by the columns' dictionary ids
 * ({@code user id × event types + type id}), so the hot loop does no hashing and no string work. When the group is
 * merged, each dictionary id that received rows is mapped once to a file-wide index (one hash lookup per distinct
 * user and type per row group), and the group's sums are added to primitive arrays under those indexes. The sorted
 * maps of {@link PlaytimeTotals} are built once, at the end of the file.
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
        FileSums fileSums = new FileSums(rules.maxUsers());
        long rowsBefore = 0;
        long skipped = 0;
        int groups = 0;
        try (ParquetColumnReader reader = ParquetColumnReader.open(file, PlaytimeParquetWriter.COLUMNS)) {
            for (RowGroupBatch batch = reader.nextRowGroup(); batch != null; batch = reader.nextRowGroup()) {
                skipped += sumRowGroup(batch, rowsBefore, fileSums);
                rowsBefore += batch.rows();
                groups++;
            }
        }
        return new PlaytimeTotals(fileSums.perUser(), rowsBefore, skipped, groups);
    }

    /** Adds one row group's sums to {@code fileSums}; returns the rows skipped for nulls. */
    private long sumRowGroup(RowGroupBatch batch, long rowsBefore, FileSums fileSums)
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
        fileSums.add(users, types, sums);
        return skipped;
    }

    private static BadParquetFileException rowError(long rowsBefore, int row, String rule) {
        return new BadParquetFileException("row " + (rowsBefore + row + 1) + ": " + rule);
    }

    /**
     * The file's sums so far, in primitive arrays under file-wide user and type indexes. Names are checked when they
     * first receive a row: an empty user id, an empty or reserved event type, or one user too many makes the file
     * bad.
     */
    private static final class FileSums {
        private static final int UNMAPPED = -1;

        private final int maxUsers;
        private final Map<String, Integer> userIndexes = new HashMap<>();
        private final Map<String, Integer> typeIndexes = new HashMap<>();
        private final List<String> typeNames = new ArrayList<>();
        private String[] userNames = new String[16];
        /** Seconds per [type index][user index], and which of those cells received a row. */
        private long[][] seconds = new long[0][];
        private boolean[][] touched = new boolean[0][];

        FileSums(int maxUsers) {
            this.maxUsers = maxUsers;
        }

        /** Adds one row group's sums, mapping each of the group's dictionary ids to a file index once. */
        void add(StringColumn users, StringColumn types, GroupSums group) throws BadParquetFileException {
            int typeCount = types.dictionarySize();
            int[] userOfId = new int[users.dictionarySize()];
            int[] typeOfId = new int[typeCount];
            Arrays.fill(userOfId, UNMAPPED);
            Arrays.fill(typeOfId, UNMAPPED);
            group.forEachCell((cell, cellSeconds) -> {
                int userId = (int) (cell / typeCount);
                int typeId = (int) (cell % typeCount);
                String newUser = null;
                if (userOfId[userId] == UNMAPPED) {
                    newUser = users.dictionaryValue(userId);
                    if (newUser.isEmpty()) {
                        throw new BadParquetFileException("column UserID: empty user ids are not allowed");
                    }
                }
                if (typeOfId[typeId] == UNMAPPED) {
                    typeOfId[typeId] = typeIndex(types.dictionaryValue(typeId));
                }
                if (newUser != null) {
                    userOfId[userId] = userIndex(newUser);
                }
                int type = typeOfId[typeId];
                int user = userOfId[userId];
                seconds[type][user] = Math.addExact(seconds[type][user], cellSeconds);
                touched[type][user] = true;
            });
        }

        private int typeIndex(String type) throws BadParquetFileException {
            Integer known = typeIndexes.get(type);
            if (known != null) {
                return known;
            }
            if (type.isEmpty() || type.equals(RESERVED_TYPE)) {
                throw new BadParquetFileException("column EventType: an event type must not be empty or \""
                        + RESERVED_TYPE + "\" (the per-user sum)");
            }
            int index = typeNames.size();
            typeNames.add(type);
            typeIndexes.put(type, index);
            seconds = Arrays.copyOf(seconds, index + 1);
            touched = Arrays.copyOf(touched, index + 1);
            seconds[index] = new long[userNames.length];
            touched[index] = new boolean[userNames.length];
            return index;
        }

        private int userIndex(String user) throws BadParquetFileException {
            Integer known = userIndexes.get(user);
            if (known != null) {
                return known;
            }
            int index = userIndexes.size();
            if (index >= maxUsers) {
                throw new BadParquetFileException("file has more than " + maxUsers + " distinct users");
            }
            if (index == userNames.length) {
                int capacity = (int) Math.min(Integer.MAX_VALUE - 8, 2L * userNames.length);
                userNames = Arrays.copyOf(userNames, capacity);
                for (int type = 0; type < seconds.length; type++) {
                    seconds[type] = Arrays.copyOf(seconds[type], capacity);
                    touched[type] = Arrays.copyOf(touched[type], capacity);
                }
            }
            userNames[index] = user;
            userIndexes.put(user, index);
            return index;
        }

        /** user → event type → seconds, both in natural order; only the cells that received rows. */
        SortedMap<String, Map<String, Long>> perUser() {
            TreeMap<String, Map<String, Long>> perUser = new TreeMap<>();
            for (int user = 0; user < userIndexes.size(); user++) {
                Map<String, Long> byType = new TreeMap<>();
                for (int type = 0; type < typeNames.size(); type++) {
                    if (touched[type][user]) {
                        byType.put(typeNames.get(type), seconds[type][user]);
                    }
                }
                perUser.put(userNames[user], byType);
            }
            return perUser;
        }
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
