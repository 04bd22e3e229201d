package dev.sluice.pipelines;

import dev.sluice.core.job.Job;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.postgres.job.JobConnections;
import dev.sluice.postgres.job.SingleRunnerJob;
import dev.sluice.postgres.plugin.PostgresResources;

import java.util.function.Function;

/** What the job plugins that work in the warehouse share: a run on one instance at a time, on connections of its own. */
public final class SingleRunnerJobs {

    private SingleRunnerJobs() {
    }

    /**
     * The job {@code make} builds on {@code connections} connections of the jobs' pool (which its max run time can
     * abort), run under the advisory lock of {@code name}.
     */
    public static Job create(PluginContext context, String name, int connections,
                             Function<JobConnections, Job> make) {
        JobConnections pool = context.shared(PostgresResources.DATABASE).jobConnections(name, connections);
        return new SingleRunnerJob(make.apply(pool), pool);
    }
}
