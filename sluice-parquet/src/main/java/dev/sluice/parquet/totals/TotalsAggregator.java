package dev.sluice.parquet.totals;

import dev.sluice.parquet.BadParquetFileException;
import dev.sluice.parquet.Int64Column;
import dev.sluice.parquet.ParquetColumnReader;
import dev.sluice.parquet.RowGroupBatch;
import dev.sluice.parquet.StringColumn;
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
 * The sums of the {@link Aggregation#sum()} columns per combination of the {@link Aggregation#groupBy()} columns
 * over a whole Parquet file, streamed row group by row group through {@link ParquetColumnReader}. Inside a row group
 * it sums into an array indexed by the group-by columns' dictionary ids (one cell per combination of ids, mixed
 * radix), so the hot loop does no hashing and no string work. When the group is merged, each dictionary id that
 * received rows is mapped once to a file-wide index (one hash lookup per distinct value per row group), and the
 * group's sums are added to primitive arrays under those indexes. The sorted maps of {@link FileTotals} are built
 * once, at the end of the file.
 *
 * <p>Memory: one row group's columns plus the totals, which grow with the number of distinct combinations, never
 * with rows; {@link Aggregation#maxGroups()} caps the groups. A row group whose id grid would be too large for an
 * array is summed through a map instead: slower, same result.
 *
 * <p>A row that breaks a rule makes the whole file bad ({@link BadParquetFileException} naming the row, the column
 * and the rule, never a value): a file counts entirely or not at all.
 *
 * <pre>{@code
 * FileTotals totals = new TotalsAggregator(new Aggregation(List.of("player", "game"), List.of("seconds"),
 *         null, null, null, null)).aggregate(file);
 * }</pre>
 */
public final class TotalsAggregator {
    /** The largest id grid summed in an array: 8 MiB of longs. */
    private static final int MAX_GRID_CELLS = 1 << 20;
    /** The hash field of a group's total (one summed column): no field may be called this. */
    private static final String TOTAL_FIELD = "total";
    /** Joins the values of the group-by columns after the first into a field. */
    private static final String SEPARATOR = ":";

    private final Aggregation aggregation;

    public TotalsAggregator(Aggregation aggregation) {
        this.aggregation = aggregation;
    }

    /**
     * @throws BadParquetFileException the file is not Parquet, lacks a configured column or has it with another
     *                                 type, or a row breaks a rule
     * @throws IOException             the file could not be read
     */
    public FileTotals aggregate(Path file) throws IOException {
        FileSums fileSums = new FileSums();
        long rowsBefore = 0;
        long skipped = 0;
        int groups = 0;
        try (ParquetColumnReader reader = ParquetColumnReader.open(file, aggregation.columns())) {
            for (RowGroupBatch batch = reader.nextRowGroup(); batch != null; batch = reader.nextRowGroup()) {
                skipped += sumRowGroup(batch, rowsBefore, fileSums);
                rowsBefore += batch.rows();
                groups++;
            }
        }
        return new FileTotals(fileSums.perGroup(), rowsBefore, skipped, groups);
    }

    /** Adds one row group's sums to {@code fileSums}; returns the rows skipped for nulls. */
    private long sumRowGroup(RowGroupBatch batch, long rowsBefore, FileSums fileSums) throws BadParquetFileException {
        List<String> groupBy = aggregation.groupBy();
        int keyCount = groupBy.size();
        int sumCount = aggregation.sum().size();
        StringColumn[] keys = new StringColumn[keyCount];
        int[] radix = new int[keyCount];
        long cells = 1;
        for (int k = 0; k < keyCount; k++) {
            keys[k] = batch.strings(k);
            radix[k] = Math.max(1, keys[k].dictionarySize());
            cells = cells < 0 ? cells : multiplyOrMinusOne(cells, radix[k]);
        }
        Int64Column[] values = new Int64Column[sumCount];
        for (int s = 0; s < sumCount; s++) {
            values[s] = batch.int64s(keyCount + s);
        }
        GroupSums sums = cells >= 0 && cells * sumCount <= MAX_GRID_CELLS ? new GridSums((int) cells, sumCount)
                : new MapSums(sumCount);
        boolean rejectNulls = aggregation.nullRows() == NullRows.REJECT;
        long maxValue = aggregation.maxValue();
        int[] ids = new int[keyCount];
        long skipped = 0;
        rows:
        for (int row = 0; row < batch.rows(); row++) {
            for (int k = 0; k < keyCount; k++) {
                ids[k] = keys[k].id(row);
                if (ids[k] == StringColumn.NULL_ID) {
                    if (rejectNulls) {
                        throw rowError(rowsBefore, row, groupBy.get(k) + " is null");
                    }
                    skipped++;
                    continue rows;
                }
            }
            for (int s = 0; s < sumCount; s++) {
                if (values[s].isNull(row)) {
                    if (rejectNulls) {
                        throw rowError(rowsBefore, row, aggregation.sum().get(s) + " is null");
                    }
                    skipped++;
                    continue rows;
                }
            }
            int cell = sums.cell(ids, radix);
            for (int s = 0; s < sumCount; s++) {
                long value = values[s].value(row);
                if (value < 0) {
                    throw rowError(rowsBefore, row, aggregation.sum().get(s) + " is negative");
                }
                if (value > maxValue) {
                    throw rowError(rowsBefore, row, aggregation.sum().get(s) + " exceeds " + maxValue
                            + (aggregation.unit() == null ? "" : " " + aggregation.unit()));
                }
                sums.add(cell, s, value);
            }
        }
        fileSums.add(keys, radix, sums);
        return skipped;
    }

    private static long multiplyOrMinusOne(long a, long b) {
        long product = a * b;
        return Math.multiplyHigh(a, b) != 0 || product < 0 ? -1 : product;
    }

    private static BadParquetFileException rowError(long rowsBefore, int row, String rule) {
        return new BadParquetFileException("row " + (rowsBefore + row + 1) + ": " + rule);
    }

    /** Adds a value that is never negative, so a sum that leaves the long range turns negative. */
    private void addAt(long[] sums, int at, int sum, long value) throws BadParquetFileException {
        long after = sums[at] + value;
        if (after < 0) {
            throw overflow(sum);
        }
        sums[at] = after;
    }

    private BadParquetFileException overflow(int sum) {
        return new BadParquetFileException("column " + aggregation.sum().get(sum)
                + ": a sum leaves the 64-bit integer range");
    }

    /**
     * The file's sums so far, in primitive arrays under file-wide group and field indexes. Names are checked when
     * they first receive a row: an empty group, a field value that could be taken for another field, or one group
     * too many makes the file bad.
     */
    private final class FileSums {
        private static final int UNMAPPED = -1;

        private final int sumCount = aggregation.sum().size();
        private final Map<String, Integer> groupIndexes = new HashMap<>();
        private final Map<String, Integer> fieldIndexes = new HashMap<>();
        private final List<String> fieldNames = new ArrayList<>();
        private String[] groupNames = new String[16];
        /** Sums per [field index][group index × sum count + sum], and which [field][group] cells received a row. */
        private long[][] sums = new long[0][];
        private boolean[][] touched = new boolean[0][];

        /** Adds one row group's sums, mapping each of the group's dictionary ids to a file index once. */
        void add(StringColumn[] keys, int[] radix, GroupSums group) throws BadParquetFileException {
            int[] groupOfId = new int[radix[0]];
            Arrays.fill(groupOfId, UNMAPPED);
            // The ids of the other columns, as one number: the grid's cell divided by the first column's place.
            long restCells = restCells(radix);
            int[] fieldOfRest = restCells >= 0 && restCells <= MAX_GRID_CELLS ? new int[(int) restCells] : null;
            Map<Long, Integer> fieldOfRestMap = fieldOfRest == null && restCells >= 0 ? new HashMap<>() : null;
            if (fieldOfRest != null) {
                Arrays.fill(fieldOfRest, UNMAPPED);
            }
            group.forEachCell((ids, cellSums, offset) -> {
                int fieldIndex;
                long rest = restCells >= 0 ? restOf(ids, radix) : -1;
                if (fieldOfRest != null && fieldOfRest[(int) rest] != UNMAPPED) {
                    fieldIndex = fieldOfRest[(int) rest];
                } else if (fieldOfRestMap != null && fieldOfRestMap.containsKey(rest)) {
                    fieldIndex = fieldOfRestMap.get(rest);
                } else {
                    fieldIndex = fieldIndex(fieldName(keys, ids));
                    if (fieldOfRest != null) {
                        fieldOfRest[(int) rest] = fieldIndex;
                    } else if (fieldOfRestMap != null) {
                        fieldOfRestMap.put(rest, fieldIndex);
                    }
                }
                if (groupOfId[ids[0]] == UNMAPPED) {
                    groupOfId[ids[0]] = groupIndex(keys[0].dictionaryValue(ids[0]));
                }
                int groupIndex = groupOfId[ids[0]];
                long[] fieldSums = sums[fieldIndex];
                for (int s = 0; s < sumCount; s++) {
                    int at = groupIndex * sumCount + s;
                    try {
                        fieldSums[at] = Math.addExact(fieldSums[at], cellSums[offset + s]);
                    } catch (ArithmeticException e) {
                        throw overflow(s);
                    }
                }
                touched[fieldIndex][groupIndex] = true;
            });
        }

        /** How many combinations the columns after the first have, or -1 past the long range. */
        private static long restCells(int[] radix) {
            long cells = 1;
            for (int k = 1; k < radix.length && cells >= 0; k++) {
                cells = multiplyOrMinusOne(cells, radix[k]);
            }
            return cells;
        }

        private static long restOf(int[] ids, int[] radix) {
            long rest = 0;
            for (int k = 1; k < ids.length; k++) {
                rest = rest * radix[k] + ids[k];
            }
            return rest;
        }

        private String fieldName(StringColumn[] keys, int[] ids) throws BadParquetFileException {
            List<String> groupBy = aggregation.groupBy();
            StringBuilder name = new StringBuilder();
            for (int k = 1; k < keys.length; k++) {
                String value = keys[k].dictionaryValue(ids[k]);
                if (value.isEmpty() || value.equals(TOTAL_FIELD)) {
                    throw new BadParquetFileException("column " + groupBy.get(k) + ": a value must not be empty or \""
                            + TOTAL_FIELD + "\" (the field of the group's total)");
                }
                if (keys.length > 2 && value.contains(SEPARATOR)) {
                    throw new BadParquetFileException("column " + groupBy.get(k) + ": a value must not contain \""
                            + SEPARATOR + "\", which joins the group-by values into a field");
                }
                name.append(k == 1 ? "" : SEPARATOR).append(value);
            }
            return name.toString();
        }

        private int fieldIndex(String field) {
            Integer known = fieldIndexes.get(field);
            if (known != null) {
                return known;
            }
            int index = fieldNames.size();
            fieldNames.add(field);
            fieldIndexes.put(field, index);
            sums = Arrays.copyOf(sums, index + 1);
            touched = Arrays.copyOf(touched, index + 1);
            sums[index] = new long[groupNames.length * sumCount];
            touched[index] = new boolean[groupNames.length];
            return index;
        }

        private int groupIndex(String group) throws BadParquetFileException {
            Integer known = groupIndexes.get(group);
            if (known != null) {
                return known;
            }
            String column = aggregation.groupBy().getFirst();
            if (group.isEmpty()) {
                throw new BadParquetFileException("column " + column + ": empty values are not allowed");
            }
            int index = groupIndexes.size();
            if (index >= aggregation.maxGroups()) {
                throw new BadParquetFileException("file has more than " + aggregation.maxGroups() + " distinct "
                        + column + " values");
            }
            if (index == groupNames.length) {
                int capacity = (int) Math.min((Integer.MAX_VALUE - 8) / sumCount, 2L * groupNames.length);
                groupNames = Arrays.copyOf(groupNames, capacity);
                for (int field = 0; field < sums.length; field++) {
                    sums[field] = Arrays.copyOf(sums[field], capacity * sumCount);
                    touched[field] = Arrays.copyOf(touched[field], capacity);
                }
            }
            groupNames[index] = group;
            groupIndexes.put(group, index);
            return index;
        }

        /** group → field → sums, both in natural order; only the cells that received rows. */
        SortedMap<String, Map<String, long[]>> perGroup() {
            TreeMap<String, Map<String, long[]>> perGroup = new TreeMap<>();
            for (int group = 0; group < groupIndexes.size(); group++) {
                Map<String, long[]> byField = new TreeMap<>();
                for (int field = 0; field < fieldNames.size(); field++) {
                    if (touched[field][group]) {
                        int from = group * sumCount;
                        byField.put(fieldNames.get(field), Arrays.copyOfRange(sums[field], from, from + sumCount));
                    }
                }
                perGroup.put(groupNames[group], byField);
            }
            return perGroup;
        }
    }

    @FunctionalInterface
    private interface CellVisitor {
        /** {@code sums[offset .. offset + sum count)} are the cell's sums. */
        void visit(int[] ids, long[] sums, int offset) throws BadParquetFileException;
    }

    /** One row group's sums per combination of dictionary ids. */
    private sealed interface GroupSums permits GridSums, MapSums {
        /** The cell of one combination of ids, given each column's dictionary size. */
        int cell(int[] ids, int[] radix);

        void add(int cell, int sum, long value) throws BadParquetFileException;

        /** Visits every cell that received at least one row. */
        void forEachCell(CellVisitor visitor) throws BadParquetFileException;
    }

    /** The fast path: a dense array over the id grid (mixed radix), and which cells were touched. */
    private final class GridSums implements GroupSums {
        private final int sumCount;
        private final long[] sums;
        private final boolean[] touched;
        private int[] radix;

        GridSums(int cells, int sumCount) {
            this.sumCount = sumCount;
            sums = new long[cells * sumCount];
            touched = new boolean[cells];
        }

        @Override
        public int cell(int[] ids, int[] radix) {
            this.radix = radix;
            int cell = 0;
            for (int k = 0; k < ids.length; k++) {
                cell = cell * radix[k] + ids[k];
            }
            return cell;
        }

        @Override
        public void add(int cell, int sum, long value) throws BadParquetFileException {
            addAt(sums, cell * sumCount + sum, sum, value);
            touched[cell] = true;
        }

        @Override
        public void forEachCell(CellVisitor visitor) throws BadParquetFileException {
            if (radix == null) {
                return; // no row reached a cell
            }
            int[] ids = new int[radix.length];
            for (int cell = 0; cell < touched.length; cell++) {
                if (touched[cell]) {
                    int rest = cell;
                    for (int k = radix.length - 1; k >= 0; k--) {
                        ids[k] = rest % radix[k];
                        rest /= radix[k];
                    }
                    visitor.visit(ids, sums, cell * sumCount);
                }
            }
        }
    }

    /** The fallback for grids too large for an array: each combination seen gets a dense number here. */
    private final class MapSums implements GroupSums {
        private final int sumCount;
        private final Map<IdTuple, Integer> cells = new HashMap<>();
        private final List<int[]> idsOfCell = new ArrayList<>();
        private long[] sums = new long[0];

        MapSums(int sumCount) {
            this.sumCount = sumCount;
        }

        @Override
        public int cell(int[] ids, int[] radix) {
            return cells.computeIfAbsent(new IdTuple(ids.clone()), tuple -> {
                idsOfCell.add(tuple.ids());
                if (idsOfCell.size() * sumCount > sums.length) {
                    sums = Arrays.copyOf(sums, Math.max(16, sums.length * 2));
                }
                return idsOfCell.size() - 1;
            });
        }

        @Override
        public void add(int cell, int sum, long value) throws BadParquetFileException {
            addAt(sums, cell * sumCount + sum, sum, value);
        }

        @Override
        public void forEachCell(CellVisitor visitor) throws BadParquetFileException {
            for (int cell = 0; cell < idsOfCell.size(); cell++) {
                visitor.visit(idsOfCell.get(cell), sums, cell * sumCount);
            }
        }
    }

    /** A combination of ids as a map key. */
    private record IdTuple(int[] ids) {
        @Override
        public boolean equals(Object other) {
            return other instanceof IdTuple tuple && Arrays.equals(ids, tuple.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }
}
