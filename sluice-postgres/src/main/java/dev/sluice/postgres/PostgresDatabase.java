package dev.sluice.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import dev.sluice.postgres.job.JobConnections;
import dev.sluice.postgres.job.SingleRunnerJob;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One PostgreSQL database with a bounded connection pool shared by the sinks of a process, and a second one for
 * its scheduled jobs (so a long job never holds a sink's connection; see {@link PostgresSettings} for the
 * timeouts of each).
 *
 * <p>Opening never fails because the database is down: the runner retries writes until it comes back, so a pipeline
 * must be able to start first. {@link #checkConnection()} is the explicit check for {@code sluice check}.
 */
public final class PostgresDatabase implements AutoCloseable {

    private final PostgresSettings settings;
    private final HikariDataSource pool;
    /** The scheduled jobs' pool, opened by the first job: a process without jobs holds no connection for them. */
    private HikariDataSource jobPool;
    /** Connections each job asked for, by name, in the order asked. */
    private final Map<String, Integer> jobNeeds = new LinkedHashMap<>();
    private final IamAuthTokens iamTokens;

    public PostgresDatabase(PostgresSettings settings) {
        this(settings, settings.auth() == PostgresSettings.Auth.IAM
                ? RdsIamAuthTokens.forHost(settings.iamLogin().host()) : null);
    }

    /**
     * @param iamTokens the password of each new connection when {@code auth} is {@code iam}; {@code null} otherwise
     */
    PostgresDatabase(PostgresSettings settings, IamAuthTokens iamTokens) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if ((settings.auth() == PostgresSettings.Auth.IAM) != (iamTokens != null)) {
            throw new IllegalArgumentException("IAM tokens go with postgres.auth: iam, and only with it");
        }
        this.iamTokens = iamTokens;
        this.pool = pool("sluice-postgres", settings.maxPoolSize(), settings.statementTimeout(),
                settings.socketTimeout());
    }

    private HikariDataSource pool(String name, int size, Duration statementTimeout, Duration socketTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(settings.url());
        if (iamTokens != null) {
            // Asked for every new connection (Hikari's credentials provider), so each logs in with a fresh token.
            PostgresSettings.IamLogin login = settings.iamLogin();
            config.setCredentialsProvider(() -> Credentials.of(login.user(),
                    iamTokens.token(login.host(), login.port(), login.user())));
        } else {
            if (settings.username() != null) {
                config.setUsername(settings.username());
            }
            if (settings.password() != null) {
                config.setPassword(settings.password());
            }
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        long timeoutMillis = settings.connectTimeout().toMillis();
        config.setConnectionTimeout(timeoutMillis);
        config.setValidationTimeout(Math.min(timeoutMillis, Duration.ofSeconds(5).toMillis()));
        // Negative: build the pool even when the database is unreachable; connections are made on demand.
        config.setInitializationFailTimeout(-1);
        // The driver's own TCP connect and login bounds, in whole seconds, so one attempt cannot outlast the pool's
        // wait, even against a server that accepts the connection and then says nothing.
        String connectSeconds = String.valueOf(Math.max(1, settings.connectTimeout().toSeconds()));
        config.addDataSourceProperty("connectTimeout", connectSeconds);
        config.addDataSourceProperty("loginTimeout", connectSeconds);
        // A half-open connection (failover, dropped NAT entry) sends nothing: the read gives up after the socket
        // timeout, keepalive lets the OS find a dead peer of an idle connection, and the server itself cancels a
        // statement or a lock wait that runs too long (SQLState 57014, 55P03: transient).
        config.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1, socketTimeout.toSeconds())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("options", "-c statement_timeout=" + statementTimeout.toMillis()
                + " -c lock_timeout=" + settings.lockTimeout().toMillis());
        // Server error details ("Failing row contains (…)") carry row values; keep them out of exception messages,
        // which end up in logs.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        return new HikariDataSource(config);
    }

    public PostgresSettings settings() {
        return settings;
    }

    /** The sinks' pooled data source; every connection taken from it must be closed. */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * Connections for one scheduled job, from the jobs' own pool ({@code jobPoolSize} connections with
     * {@code jobStatementTimeout}): give the same instance to the job and to its {@link SingleRunnerJob}, whose
     * {@link SingleRunnerJob#abort()} aborts every connection the run holds when it outlasts its max run time.
     *
     * @param job         the job's name, for the error below
     * @param connections the most the job holds at once, its {@link SingleRunnerJob} lock included; jobs run at
     *                    the same time, so the pool must hold what every job asked for
     * @throws IllegalArgumentException naming {@code postgres.jobPoolSize} and what it must be at least, when the
     *                                  jobs asked for more connections than it allows: a job waiting for a
     *                                  connection another job holds would fail its runs
     */
    public synchronized JobConnections jobConnections(String job, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("job " + job + " must hold at least one connection, got "
                    + connections);
        }
        jobNeeds.merge(job, connections, Integer::sum);
        int needed = jobNeeds.values().stream().mapToInt(Integer::intValue).sum();
        if (needed > settings.jobPoolSize()) {
            throw new IllegalArgumentException("postgres.jobPoolSize is " + settings.jobPoolSize()
                    + ", but the scheduled jobs hold up to " + needed + " connections at once " + jobNeeds
                    + "; set postgres.jobPoolSize to at least " + needed);
        }
        if (jobPool == null) {
            jobPool = pool("sluice-postgres-jobs", settings.jobPoolSize(), settings.jobStatementTimeout(),
                    settings.jobSocketTimeout());
        }
        return new JobConnections(jobPool);
    }

    /**
     * Connects once and runs a trivial query.
     *
     * @throws IllegalStateException naming the (redacted) URL and the driver's reason when the database cannot be
     *                               reached within {@code connectTimeout}
     */
    public void checkConnection() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL at " + settings.redactedUrl() + " within "
                    + settings.connectTimeout().toMillis() + " ms: " + e.getMessage(), e);
        }
    }

    /**
     * Applies one pipeline's Flyway migrations. Each pipeline keeps its own history table, so pipelines sharing a
     * database version independently; a database that already holds other tables is baselined at version 0, so
     * every migration of the pipeline still runs. Safe to call on every start and from several processes at once
     * (Flyway takes a lock). Statements may run up to {@code jobStatementTimeout}.
     *
     * @param classpathLocation e.g. {@code db/logins} or {@code classpath:db/logins}
     * @param historyTable      e.g. {@code logins_schema_history}; must be a valid {@link SqlIdentifier}
     * @return how many migrations ran (0 when the schema was up to date)
     */
    public int migrate(String classpathLocation, String historyTable) {
        return migrate(classpathLocation, historyTable, Map.of());
    }

    /**
     * Like {@link #migrate(String, String)}, with Flyway placeholders ({@code ${table}} in the SQL). Every
     * placeholder value must be a valid {@link SqlIdentifier}: placeholders carry configured table names, never data.
     */
    public int migrate(String classpathLocation, String historyTable, Map<String, String> placeholders) {
        Objects.requireNonNull(classpathLocation, "classpathLocation");
        placeholders.values().forEach(SqlIdentifier::table);
        String table = SqlIdentifier.column(historyTable).name();
        String location = classpathLocation.startsWith("classpath:") ? classpathLocation
                : "classpath:" + classpathLocation;
        // A pool of its own with the jobs' timeouts: a migration (an index on a large table) may run far longer
        // than a sink's statement.
        try (HikariDataSource migrating = pool("sluice-postgres-migrate", 2, settings.jobStatementTimeout(),
                settings.jobSocketTimeout())) {
            MigrateResult result = Flyway.configure()
                    .dataSource(migrating)
                    .locations(location)
                    .failOnMissingLocations(true)
                    .table(table)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .placeholders(placeholders)
                    .load()
                    .migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new IllegalStateException("migrating " + location + " on " + settings.redactedUrl() + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        pool.close();
        if (jobPool != null) {
            jobPool.close();
        }
        if (iamTokens != null) {
            iamTokens.close();
        }
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + settings.redactedUrl() + "]";
    }
}
