package dev.sluice.cli;

import dev.sluice.core.job.JobResult;
import dev.sluice.pipelines.lake.CompactionLog;
import dev.sluice.pipelines.lake.LakeCompaction;
import dev.sluice.pipelines.lake.LakeMirror;
import dev.sluice.pipelines.lake.LakeQuery;
import dev.sluice.postgres.job.SingleRunnerJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sluice lake query "SQL"} and {@code sluice lake compact --day D}: reading and upkeep of the lake. */
@Command(name = "lake", mixinStandardHelpOptions = true, description = "Query and compact the lake's Parquet files.",
        subcommands = {LakeCommand.Query.class, LakeCommand.Compact.class})
final class LakeCommand {

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = "Run SQL over the lake with DuckDB: the files are the view 'events' (columns event_uuid, "
                    + "event_name, event_subtype, created_at, created_datetime, payload, and the partitions year, "
                    + "month, day, event_type). The bucket's files are copied into a local cache first, only new "
                    + "or changed ones.")
    static final class Query implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SQL", description = "e.g. \"SELECT event_type, count(*) FROM events "
                + "GROUP BY ALL ORDER BY 2 DESC\"")
        String sql;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
                description = "table, csv or json (default: ${DEFAULT-VALUE})")
        String format;

        @Option(names = "--cache", paramLabel = "DIR", defaultValue = ".sluice/lake-cache",
                description = "where the local copy of the lake lives (default: ${DEFAULT-VALUE})")
        Path cache;

        @Mixin
        LakeConnection connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            QueryResultFormat output = switch (format.toLowerCase(Locale.ROOT)) {
                case "table" -> QueryResultFormat.TABLE;
                case "csv" -> QueryResultFormat.CSV;
                case "json" -> QueryResultFormat.JSON;
                default -> throw new IllegalArgumentException("--format must be table, csv or json, was " + format);
            };
            LakeMirror.Result copy;
            String bucket;
            String prefix;
            try (LakeConnection.Opened opened = connection.open()) {
                bucket = opened.bucket();
                prefix = opened.prefix();
                copy = new LakeMirror(opened.s3(), bucket, prefix,
                        new CompactionLog(opened.db().dataSource()), cache).sync();
            }
            System.err.printf("lake: %d files (%d downloaded, %d removed) from s3://%s/%s%n", copy.files(),
                    copy.downloaded(), copy.removed(), bucket, prefix);
            LakeQuery.Result result;
            try {
                result = new LakeQuery(copy.root()).run(sql);
            } catch (SQLException e) {
                throw new IllegalArgumentException("the query failed: " + e.getMessage(), e);
            }
            output.print(result, spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = "Merge each partition of one day that holds more than one file into one file, exactly "
                    + "once; finishes or rolls back a compaction that was interrupted. One compaction runs at a "
                    + "time across instances (a Postgres advisory lock).")
    static final class Compact implements Callable<Integer> {
        @Option(names = "--day", required = true, paramLabel = "YYYY-MM-DD", description = "the event day to compact")
        LocalDate day;

        @Option(names = "--work", paramLabel = "DIR", description = "where files are merged (default: a new "
                + "temporary directory)")
        Path work;

        @Mixin
        LakeConnection connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path directory = work != null ? work : Files.createTempDirectory("sluice-compact-");
            try (LakeConnection.Opened opened = connection.open()) {
                DataSource db = opened.db().dataSource();
                JobResult result = new SingleRunnerJob(new LakeCompaction(opened.s3(), opened.bucket(),
                        opened.prefix(), new CompactionLog(db), day, directory), db).run();
                spec.commandLine().getOut().println(result.summary());
                return result.skipped() ? 2 : 0;
            }
        }
    }
}
