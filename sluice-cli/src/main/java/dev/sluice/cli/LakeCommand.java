package dev.sluice.cli;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.plugin.Resources;
import dev.sluice.pipelines.lake.CompactionLog;
import dev.sluice.pipelines.lake.CompactionPlugin;
import dev.sluice.pipelines.lake.LakeMirror;
import dev.sluice.pipelines.lake.LakeQuery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
            description = "Run the lake definition's compaction job (jobs: compact) once for one day: merge each "
                    + "partition of that day that holds more than one file into one file, exactly once; finishes or "
                    + "rolls back a compaction that was interrupted. One compaction runs at a time across instances "
                    + "(the Postgres advisory lock lake-compact).")
    static final class Compact implements Callable<Integer> {
        /** The job of the lake definition this command runs, by its type. */
        static final String JOB = "compaction";

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
            ConfigSource.Loaded loaded = ConfigSource.read(connection.config, System.getenv());
            List<AutoCloseable> closeAtEnd = new ArrayList<>();
            try (Resources resources = new Resources(loaded.catalog(), loaded.definitions().root(), System.getenv(),
                    new SimpleMeterRegistry(), Clock.systemUTC())) {
                try {
                    ConfigNode jobs = loaded.definitions().definition(LakeConnection.LAKE).at("jobs");
                    ConfigNode node = jobs.elements().stream()
                            .filter(job -> job.at("type").text().orElse("").equals(JOB)).findFirst()
                            .orElseThrow(() -> jobs.problem("pipeline " + LakeConnection.LAKE + " has no job of "
                                    + "type " + JOB));
                    // The definition's settings (as the user's file overrides them) with the day given here in
                    // place of the schedule's.
                    Job job = CompactionPlugin.forDay(CompactionPlugin.settings(node),
                            resources.context(LakeConnection.LAKE, node.path(), Fields.UNKNOWN, closeAtEnd), day,
                            directory);
                    JobResult result = job.run();
                    spec.commandLine().getOut().println(result.summary());
                    return result.skipped() ? 2 : 0;
                } finally {
                    for (AutoCloseable part : closeAtEnd.reversed()) {
                        part.close();
                    }
                }
            }
        }
    }
}
