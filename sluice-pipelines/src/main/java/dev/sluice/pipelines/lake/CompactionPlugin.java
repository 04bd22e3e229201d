package dev.sluice.pipelines.lake;

import dev.sluice.aws.AwsResources;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.core.pipeline.JobSchedule;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.pipelines.SingleRunnerJobs;
import dev.sluice.pipelines.WorkDirectory;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.plugin.PostgresResources;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The {@code compaction} job plugin: merges the small files of each partition of one event day into fewer, each
 * merge exactly once ({@link LakeCompaction}), on one instance at a time ({@code SingleRunnerJob}: the advisory lock
 * of {@code <pipeline>-compact}). A scheduled run compacts the UTC day before the run's date, which the writer has
 * finished with but for late events; {@code sluice lake compact --day D} runs it once for any day
 * ({@link #forDay}). It composes S3 and Postgres, so it lives here, like {@code warehouse_load}.
 *
 * <pre>{@code
 * jobs:
 *   - id: compact
 *     type: compaction
 *     every: 24h
 *     bucket: lake
 *     prefix: events/
 *     log: lake_compactions
 * }</pre>
 */
public final class CompactionPlugin {

    public static final Plugin<CompactionSettings, Job> PLUGIN = Plugin.job("compaction", CompactionSettings.class,
            "merges the small files of each partition of a day on S3 into fewer, each merge exactly once",
            CompactionPlugin::create);

    /** Connections a run holds at once: one for the log (one merge at a time), and the lock. */
    public static final int CONNECTIONS = 2;

    private CompactionPlugin() {
    }

    /** The job's name, its lock and metrics tag: {@code <pipeline>-compact} ({@code lake-compact}). */
    public static String jobName(String pipeline) {
        return pipeline + "-compact";
    }

    private static Job create(CompactionSettings settings, PluginContext context) {
        Clock clock = context.clock();
        return job(settings, context, () -> LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1),
                WorkDirectory.ready(null, "compaction", "sluice-compact-"));
    }

    /**
     * The settings of the job written at {@code job} (a {@code jobs} element of type {@code compaction}), bound as
     * the assembler binds them: for a run on a day of the caller's choosing ({@link #forDay}).
     */
    public static CompactionSettings settings(ConfigNode job) {
        return job.without(JobSchedule.KEYS).without("type", "id").bind(CompactionSettings.class);
    }

    /** The job of {@code settings} for one run on {@code day}, merging in {@code workDirectory}. */
    public static Job forDay(CompactionSettings settings, PluginContext context, LocalDate day, Path workDirectory) {
        return job(settings, context, () -> day, workDirectory);
    }

    private static Job job(CompactionSettings settings, PluginContext context, Supplier<LocalDate> day,
                           Path workDirectory) {
        migrate(context.shared(PostgresResources.DATABASE), settings);
        String name = jobName(context.pipeline());
        return SingleRunnerJobs.create(context, name, CONNECTIONS, connections -> new Job() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public JobResult run() throws Exception {
                return new LakeCompaction(name, context.shared(AwsResources.S3), settings,
                        new CompactionLog(connections, settings.log(), settings.ledger()), day.get(), workDirectory)
                        .run();
            }
        });
    }

    /** Creates or upgrades the tables with the settings' migrations, if any; safe on every start. */
    private static void migrate(PostgresDatabase db, CompactionSettings settings) {
        if (settings.migrations() != null) {
            db.migrate(settings.migrations().location(), settings.migrations().history() == null
                    ? "sluice_history_" + settings.log() : settings.migrations().history(),
                    settings.migrations().placeholders());
        }
    }
}
