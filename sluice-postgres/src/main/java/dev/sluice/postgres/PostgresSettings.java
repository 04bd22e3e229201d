package dev.sluice.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach one PostgreSQL database. Kept separate from the pool so configuration can be validated (and shown
 * with the password hidden) before anything connects. A {@code null} for {@code maxPoolSize} or
 * {@code connectTimeout} (absent from the YAML) means the default.
 *
 * @param url            JDBC URL, {@code jdbc:postgresql://host:port/database}; may carry {@code ?user=…}
 * @param username       optional; when null the URL (or the driver's default) decides
 * @param password       optional; never shown by {@link #toString()}
 * @param maxPoolSize    most connections held open at once
 * @param connectTimeout longest a write waits for a connection before it fails (and the runner retries)
 */
public record PostgresSettings(String url, String username, String password, Integer maxPoolSize,
                               Duration connectTimeout) {

    public static final int DEFAULT_MAX_POOL_SIZE = 4;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The pool refuses to wait less than this for a connection. */
    public static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);

    private static final String URL_PREFIX = "jdbc:postgresql:";
    /** {@code //user:secret@host}: a password written into the URL's user info. */
    private static final Pattern PASSWORD_IN_USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&]*");

    public PostgresSettings {
        Objects.requireNonNull(url, "url is required");
        if (!url.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("url must start with " + URL_PREFIX + "//, got " + redact(url));
        }
        if (maxPoolSize == null) {
            maxPoolSize = DEFAULT_MAX_POOL_SIZE;
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + maxPoolSize);
        }
        if (connectTimeout == null) {
            connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        }
        if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectTimeout must be at least " + MIN_CONNECT_TIMEOUT.toMillis()
                    + " ms, got " + connectTimeout.toMillis() + " ms");
        }
    }

    /** Settings with defaults for everything but the URL. */
    public PostgresSettings(String url) {
        this(url, null, null, DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    public PostgresSettings withCredentials(String username, String password) {
        return new PostgresSettings(url, username, password, maxPoolSize, connectTimeout);
    }

    public PostgresSettings withMaxPoolSize(int maxPoolSize) {
        return new PostgresSettings(url, username, password, maxPoolSize, connectTimeout);
    }

    public PostgresSettings withConnectTimeout(Duration connectTimeout) {
        return new PostgresSettings(url, username, password, maxPoolSize, connectTimeout);
    }

    /** The URL with any {@code password=} parameter hidden, safe for logs and error messages. */
    public String redactedUrl() {
        return redact(url);
    }

    @Override
    public String toString() {
        return "PostgresSettings[url=" + redactedUrl() + ", username=" + username + ", password="
                + (password == null ? "null" : "***") + ", maxPoolSize=" + maxPoolSize + ", connectTimeout="
                + connectTimeout + "]";
    }

    private static String redact(String url) {
        String withoutUserInfoPassword = PASSWORD_IN_USER_INFO.matcher(url).replaceFirst("$1***@");
        return PASSWORD_IN_URL.matcher(withoutUserInfoPassword).replaceAll("$1***");
    }
}
