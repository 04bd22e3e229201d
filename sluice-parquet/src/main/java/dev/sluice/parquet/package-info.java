/**
 * Streaming Parquet for pipelines: {@link dev.sluice.parquet.ParquetColumnReader} checks a local file's schema
 * against the columns a pipeline needs and hands it over one row group at a time, column-oriented, with strings as
 * dictionary ids ({@link dev.sluice.parquet.StringColumn}); {@code dev.sluice.parquet.totals} sums whole files per
 * group-by columns ({@link dev.sluice.parquet.totals.TotalsAggregator}) for the {@code parquet_totals} sink;
 * {@link dev.sluice.parquet.EventDurationFileWriter} writes
 * files of event durations as test data for the generator, tests and benchmarks; {@code dev.sluice.parquet.lake} writes the lake's event-time
 * partitioned files ({@link dev.sluice.parquet.lake.PartitionedParquetWriter}).
 *
 * <pre>{@code
 * try (var reader = ParquetColumnReader.open(file, EventDurationFileWriter.COLUMNS)) {
 *     for (RowGroupBatch batch = reader.nextRowGroup(); batch != null; batch = reader.nextRowGroup()) {
 *         StringColumn users = batch.strings(0);
 *         Int64Column durations = batch.int64s(2);
 *         for (int row = 0; row < batch.rows(); row++) {
 *             if (users.isNull(row) || durations.isNull(row)) { ... reject the file ... }
 *             perUserId[users.id(row)] += durations.value(row);   // strings once per row group:
 *         }                                                        // users.dictionaryValue(id)
 *     }
 * }
 * }</pre>
 *
 * Built on parquet-java with {@code LocalInputFile} and {@code PlainParquetConfiguration}: no Hadoop file system
 * or configuration files are involved, though a few Hadoop classes must be on the class path.
 */
package dev.sluice.parquet;
