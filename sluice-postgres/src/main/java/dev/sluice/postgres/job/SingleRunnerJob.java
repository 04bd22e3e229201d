package dev.sluice.postgres.job;

import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A {@link Job} that runs on one instance at a time across every process sharing the database: each run first takes
 * the Postgres session advisory lock of the job's name ({@code pg_try_advisory_lock}) on a connection of its own and
 * holds it until the run ends. An instance that finds the lock taken skips that run and says so in its result.
 *
 * <pre>{@code
 * JobConnections connections = database.jobConnections("tracking-load", WarehouseLoadJob.CONNECTIONS);
 * Job load = new SingleRunnerJob(new WarehouseLoadJob(…, connections), connections);
 * JobScheduler.start(load, settings.interval(), Duration.ofSeconds(5), settings.maxRunTime(), registry, clock);
 * }</pre>
 *
 * <p>A process that dies while running loses its session, and Postgres releases the lock with it: a crashed runner
 * never blocks the others. The lock key is the first 8 bytes of SHA-256 of {@code sluice.job:<name>}, so it is
 * stable across versions and processes and unlikely to meet another application's keys.
 *
 * <p>{@link #abort()} aborts every connection of the run (the lock's included, which releases the lock): the
 * scheduler calls it when a run outlasts its max run time, typically blocked on a connection that went half-open.
 */
public final class SingleRunnerJob implements Job {
    private final Job job;
    private final JobConnections dataSource;
    private final long lockKey;

    /**
     * For a one-off run ({@code sluice load}, a compaction): {@link #abort()} reaches the lock's connection only.
     */
    public SingleRunnerJob(Job job, DataSource dataSource) {
        this(job, new JobConnections(dataSource));
    }

    /** @param dataSource the connections the job itself uses too, so that {@link #abort()} reaches them all */
    public SingleRunnerJob(Job job, JobConnections dataSource) {
        this.job = Objects.requireNonNull(job, "job");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.lockKey = lockKey(job.name());
    }

    @Override
    public String name() {
        return job.name();
    }

    @Override
    public JobResult run() throws Exception {
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            if (!tryLock(lock)) {
                return JobResult.skipped("another instance is running job " + job.name()
                        + " (advisory lock " + lockKey + " is held)");
            }
            try {
                return job.run();
            } finally {
                // Explicitly: a pooled connection outlives this run, and a session lock would go back to the pool
                // with it. If the unlock fails the connection is broken and its session (and lock) ends with it.
                unlock(lock);
            }
        }
    }

    @Override
    public void abort() {
        dataSource.abortOpen();
        job.abort();
    }

    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, lockKey);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private void unlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, lockKey);
            statement.execute();
        }
    }

    /** The advisory lock key a job named {@code jobName} takes, for operators looking at {@code pg_locks}. */
    public static long lockKey(String jobName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("sluice.job:" + jobName).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
