package dev.sluice.postgres;

import org.postgresql.Driver;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to reach one PostgreSQL database. Kept separate from the pool so configuration can be validated (and shown
 * with the password hidden) before anything connects. A {@code null} for any setting after {@code password}
 * (absent from the YAML) means its default.
 *
 * <p>Timeouts: the server cancels a statement after {@code statementTimeout} (or waiting {@code lockTimeout} for a
 * lock), a transient failure the runner retries; the client gives up on a connection that sends nothing for
 * {@code socketTimeout} (a half-open connection: a failover, a dropped NAT entry), which is why it must be longer
 * than the statement timeout. Scheduled jobs (the warehouse load, the charts) run long statements on purpose: they
 * get a pool of their own, {@code jobPoolSize} connections with {@code jobStatementTimeout} (and a socket timeout
 * as far above it as {@code socketTimeout} is above {@code statementTimeout}), so a job never takes a sink's
 * connection and a sink's insert keeps its short bound. A job's run as a whole is bounded by its scheduler's
 * {@code maxRunTime}, which aborts the run's connections.
 *
 * @param url                 JDBC URL, {@code jdbc:postgresql://host:port/database}; may carry {@code ?user=…}
 * @param username            optional; when null the URL (or the driver's default) decides
 * @param password            optional; never shown by {@link #toString()}
 * @param maxPoolSize         most connections the sinks hold open at once (default 4)
 * @param connectTimeout      longest a write waits for a connection before it fails and the runner retries
 *                            (default 5 s, at least 250 ms); also bounds the driver's connect and login
 * @param socketTimeout       longest a call waits for the server to send anything (default 60 s); longer than
 *                            {@code statementTimeout}
 * @param statementTimeout    longest one statement of a sink, error table or checkpoint may run (default 30 s)
 * @param lockTimeout         longest a statement waits for a lock (default 10 s); at most {@code statementTimeout}
 * @param jobPoolSize         most connections the scheduled jobs hold open at once (default 7: the warehouse load
 *                            holds 3, the charts 2, the lake's compaction 2); checked at start against the jobs
 *                            that run
 * @param jobStatementTimeout longest one statement of a scheduled job may run, e.g. the COPY of a large raw file
 *                            (default 30 min); at least {@code statementTimeout}
 * @param auth                {@code password} (default: {@code password}, or none with trust) or {@code iam}: RDS
 *                            IAM authentication, a fresh token per new connection signed with the AWS credentials
 *                            (see {@link IamAuthTokens}); then the URL names one host, carries
 *                            {@code sslmode=require} (or {@code verify-ca}, {@code verify-full}) and no password is
 *                            configured anywhere
 */
public record PostgresSettings(String url, String username, String password, Integer maxPoolSize,
                               Duration connectTimeout, Duration socketTimeout, Duration statementTimeout,
                               Duration lockTimeout, Integer jobPoolSize, Duration jobStatementTimeout, Auth auth) {

    /** How the process logs in. */
    public enum Auth {
        /** The configured password, or none (trust, a {@code .pgpass} file). */
        PASSWORD,
        /** An RDS IAM token per new connection. */
        IAM
    }

    /** What an IAM token is signed for, from the URL: its one host and port, and the user. */
    public record IamLogin(String host, int port, String user) {
    }

    /** The TLS modes RDS accepts an IAM token over; pgjdbc's {@code ssl=true} alone means {@code verify-full}. */
    private static final Set<String> IAM_SSL_MODES = Set.of("require", "verify-ca",
            "verify-full");

    public static final int DEFAULT_MAX_POOL_SIZE = 4;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The pool refuses to wait less than this for a connection. */
    public static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_JOB_POOL_SIZE = 7;
    public static final Duration DEFAULT_JOB_STATEMENT_TIMEOUT = Duration.ofMinutes(30);

    private static final String URL_PREFIX = "jdbc:postgresql:";
    /** {@code //user:secret@host}: a password written into the URL's user info. */
    private static final Pattern PASSWORD_IN_USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&]*");

    public PostgresSettings {
        if (url == null) {
            throw new IllegalArgumentException("url is required: " + URL_PREFIX + "//host:port/database");
        }
        if (!url.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("url must start with " + URL_PREFIX + "//, got " + redact(url));
        }
        maxPoolSize = atLeastOne("maxPoolSize", maxPoolSize, DEFAULT_MAX_POOL_SIZE);
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectTimeout must be at least " + MIN_CONNECT_TIMEOUT.toMillis()
                    + " ms, got " + connectTimeout.toMillis() + " ms");
        }
        // The driver takes the socket timeout in whole seconds.
        socketTimeout = positive("socketTimeout", socketTimeout, DEFAULT_SOCKET_TIMEOUT, Duration.ofSeconds(1));
        statementTimeout = positive("statementTimeout", statementTimeout, DEFAULT_STATEMENT_TIMEOUT,
                Duration.ofMillis(1));
        lockTimeout = positive("lockTimeout", lockTimeout, DEFAULT_LOCK_TIMEOUT, Duration.ofMillis(1));
        if (socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new IllegalArgumentException("socketTimeout (" + socketTimeout + ") must be longer than "
                    + "statementTimeout (" + statementTimeout + "), so the server cancels a slow statement before "
                    + "the client drops its connection");
        }
        if (lockTimeout.compareTo(statementTimeout) > 0) {
            throw new IllegalArgumentException("lockTimeout (" + lockTimeout + ") must be at most statementTimeout ("
                    + statementTimeout + ")");
        }
        jobPoolSize = atLeastOne("jobPoolSize", jobPoolSize, DEFAULT_JOB_POOL_SIZE);
        jobStatementTimeout = positive("jobStatementTimeout", jobStatementTimeout, DEFAULT_JOB_STATEMENT_TIMEOUT,
                Duration.ofMillis(1));
        if (jobStatementTimeout.compareTo(statementTimeout) < 0) {
            throw new IllegalArgumentException("jobStatementTimeout (" + jobStatementTimeout + ") must be at least "
                    + "statementTimeout (" + statementTimeout + ")");
        }
        auth = auth == null ? Auth.PASSWORD : auth;
        if (auth == Auth.IAM) {
            iamLogin(url, username, password);
        }
    }

    /** Settings as before {@code auth} existed: the password, if any, logs in. */
    public PostgresSettings(String url, String username, String password, Integer maxPoolSize,
                            Duration connectTimeout, Duration socketTimeout, Duration statementTimeout,
                            Duration lockTimeout, Integer jobPoolSize, Duration jobStatementTimeout) {
        this(url, username, password, maxPoolSize, connectTimeout, socketTimeout, statementTimeout, lockTimeout,
                jobPoolSize, jobStatementTimeout, null);
    }

    /**
     * The host, port and user an IAM token is signed for.
     *
     * @throws IllegalStateException when {@code auth} is not {@code iam}
     */
    public IamLogin iamLogin() {
        if (auth != Auth.IAM) {
            throw new IllegalStateException("postgres.auth is " + auth + ", not iam");
        }
        return iamLogin(url, username, password);
    }

    /** Checks the rules of {@code auth: iam}, each error naming the setting to change and never a secret. */
    private static IamLogin iamLogin(String url, String username, String password) {
        if (password != null) {
            throw new IllegalArgumentException("postgres.password must not be set with postgres.auth: iam: each "
                    + "connection logs in with a fresh IAM token instead; remove the password");
        }
        Properties parsed = Driver.parseURL(url, new Properties());
        if (parsed == null) {
            throw new IllegalArgumentException("postgres.url is not a PostgreSQL JDBC URL the driver can read: "
                    + redact(url));
        }
        if (parsed.getProperty("password") != null || PASSWORD_IN_USER_INFO.matcher(url).find()) {
            throw new IllegalArgumentException("postgres.url must not carry a password with postgres.auth: iam: "
                    + "each connection logs in with a fresh IAM token instead; remove it from " + redact(url));
        }
        String hosts = parsed.getProperty("PGHOST");
        if (hosts == null || hosts.contains(",")) {
            throw new IllegalArgumentException("postgres.url must name exactly one host with postgres.auth: iam "
                    + "(a token is signed for one endpoint), got " + redact(url));
        }
        String sslMode = parsed.getProperty("sslmode");
        boolean tls = sslMode == null ? "true".equalsIgnoreCase(parsed.getProperty("ssl"))
                : IAM_SSL_MODES.contains(sslMode);
        if (!tls) {
            throw new IllegalArgumentException("postgres.url must ask for TLS with postgres.auth: iam: add "
                    + "sslmode=require (or verify-full with the RDS CA bundle as sslrootcert); RDS refuses an IAM "
                    + "token over an unencrypted connection, and the token must not travel in clear; got "
                    + redact(url));
        }
        String user = username != null ? username : parsed.getProperty("user");
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("postgres.auth: iam needs the database user the token is for: set "
                    + "postgres.username or ?user= in postgres.url (a user granted rds_iam)");
        }
        return new IamLogin(hosts, Integer.parseInt(parsed.getProperty("PGPORT", "5432")), user);
    }

    /** Settings with defaults for everything but the URL. */
    public PostgresSettings(String url) {
        this(url, null, null, null, null, null, null, null, null, null);
    }

    public PostgresSettings withCredentials(String username, String password) {
        return new PostgresSettings(url, username, password, maxPoolSize, connectTimeout, socketTimeout,
                statementTimeout, lockTimeout, jobPoolSize, jobStatementTimeout, auth);
    }

    public PostgresSettings withMaxPoolSize(int maxPoolSize) {
        return new PostgresSettings(url, username, password, maxPoolSize, connectTimeout, socketTimeout,
                statementTimeout, lockTimeout, jobPoolSize, jobStatementTimeout, auth);
    }

    public PostgresSettings withConnectTimeout(Duration connectTimeout) {
        return new PostgresSettings(url, username, password, maxPoolSize, connectTimeout, socketTimeout,
                statementTimeout, lockTimeout, jobPoolSize, jobStatementTimeout, auth);
    }

    /** The sinks' timeouts; the job statement timeout is raised to {@code statementTimeout} if it was below. */
    public PostgresSettings withTimeouts(Duration socketTimeout, Duration statementTimeout, Duration lockTimeout) {
        return new PostgresSettings(url, username, password, maxPoolSize, connectTimeout, socketTimeout,
                statementTimeout, lockTimeout, jobPoolSize,
                jobStatementTimeout.compareTo(statementTimeout) < 0 ? statementTimeout : jobStatementTimeout, auth);
    }

    public PostgresSettings withJobs(int jobPoolSize, Duration jobStatementTimeout) {
        return new PostgresSettings(url, username, password, maxPoolSize, connectTimeout, socketTimeout,
                statementTimeout, lockTimeout, jobPoolSize, jobStatementTimeout, auth);
    }

    /** The socket timeout of the jobs' pool: as far above {@code jobStatementTimeout} as the sinks' is above theirs. */
    public Duration jobSocketTimeout() {
        return jobStatementTimeout.plus(socketTimeout.minus(statementTimeout));
    }

    /** The URL with any {@code password=} parameter hidden, safe for logs and error messages. */
    public String redactedUrl() {
        return redact(url);
    }

    @Override
    public String toString() {
        return "PostgresSettings[url=" + redactedUrl() + ", username=" + username + ", password="
                + (password == null ? "null" : "***") + ", maxPoolSize=" + maxPoolSize + ", connectTimeout="
                + connectTimeout + ", socketTimeout=" + socketTimeout + ", statementTimeout=" + statementTimeout
                + ", lockTimeout=" + lockTimeout + ", jobPoolSize=" + jobPoolSize + ", jobStatementTimeout="
                + jobStatementTimeout + ", auth=" + auth + "]";
    }

    private static int atLeastOne(String field, Integer value, int defaultValue) {
        int size = value == null ? defaultValue : value;
        if (size < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + size);
        }
        return size;
    }

    private static Duration positive(String field, Duration value, Duration defaultValue, Duration floor) {
        Duration duration = value == null ? defaultValue : value;
        if (duration.compareTo(floor) < 0) {
            throw new IllegalArgumentException(field + " must be at least " + floor + ", got " + duration);
        }
        return duration;
    }

    private static String redact(String url) {
        String withoutUserInfoPassword = PASSWORD_IN_USER_INFO.matcher(url).replaceFirst("$1***@");
        return PASSWORD_IN_URL.matcher(withoutUserInfoPassword).replaceAll("$1***");
    }
}
