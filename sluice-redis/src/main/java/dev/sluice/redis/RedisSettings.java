package dev.sluice.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one standalone Redis and where the playtime keys live in it. Kept apart from the client so the
 * configuration can be validated (and shown with the password hidden) before anything connects. A {@code null} for
 * any optional component (absent from the YAML) means its default.
 *
 * <p>The URL carries no credentials on purpose: a password belongs in {@code password}, filled from the
 * environment by the configuration (e.g. {@code password: ${SLUICE_REDIS_PASSWORD}}), so URLs can be logged as
 * they are.
 *
 * @param url            {@code redis://host[:port][/database]}, or {@code rediss://…} for TLS; port 6379 by default
 * @param password       optional ({@code AUTH}); never shown by {@link #toString()}, nor by any error
 * @param keyPrefix      start of every key this store writes; see {@link TotalsKeys}
 * @param connectTimeout longest a new connection may take, and longest a call waits for a pooled one
 * @param commandTimeout longest one command may take; it must cover the largest file's script
 * @param maxConnections most connections held open at once
 * @param user           an ACL user ({@code AUTH user password}, Redis 6+, ElastiCache RBAC); needs {@code password}.
 *                       Absent: the {@code default} user
 * @param tls            TLS on the connection, the host name checked against the server's certificate; {@code true}
 *                       or a {@code rediss://} URL ask for it (absent: the URL's scheme decides)
 * @param caCertificate  a PEM file of the CA (or CAs) that signed the server's certificate, for a private CA;
 *                       absent: the JVM's trusted CAs (ElastiCache's certificates chain to one). Only with TLS
 */
public record RedisSettings(String url, String password, String keyPrefix, Duration connectTimeout,
                            Duration commandTimeout, Integer maxConnections, String user, Boolean tls,
                            Path caCertificate) {

    public static final String DEFAULT_KEY_PREFIX = "sluice:playtime:";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Covers the largest file one command may carry ({@link TotalsStore#maxGroups}: 13 s measured on embedded
     * Redis 6.2 on 2 shared cores, 4.6 s on Redis 7); a 10,000-user file takes well under a second. A timeout is
     * safe anyway: the script still finishes on the server and the retry finds its marker.
     */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 8;
    /** Keys are bounded by Redis at 512 MB; a prefix is repeated in every key, so keep it to a sane size. */
    public static final int MAX_KEY_PREFIX_LENGTH = 200;

    private static final int DEFAULT_PORT = 6379;

    public RedisSettings {
        Objects.requireNonNull(url, "url is required");
        parse(url);
        if (password != null && password.isEmpty()) {
            password = null;
        }
        if (keyPrefix == null) {
            keyPrefix = DEFAULT_KEY_PREFIX;
        }
        if (keyPrefix.isBlank() || keyPrefix.length() > MAX_KEY_PREFIX_LENGTH) {
            throw new IllegalArgumentException("keyPrefix must be 1 to " + MAX_KEY_PREFIX_LENGTH
                    + " characters and not blank, got " + keyPrefix.length() + " characters");
        }
        if (keyPrefix.chars().anyMatch(c -> c == '{' || c == '}' || Character.isWhitespace(c)
                || Character.isISOControl(c))) {
            // A brace would change the Redis Cluster hash tag that keeps one file's keys in one slot.
            throw new IllegalArgumentException("keyPrefix must not contain braces, whitespace or control "
                    + "characters, got '" + keyPrefix + "'");
        }
        if (connectTimeout == null) {
            connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        }
        requireMillis("connectTimeout", connectTimeout);
        if (commandTimeout == null) {
            commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        }
        requireMillis("commandTimeout", commandTimeout);
        if (maxConnections == null) {
            maxConnections = DEFAULT_MAX_CONNECTIONS;
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (user != null && (user.isBlank() || user.chars().anyMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c)))) {
            throw new IllegalArgumentException("user must be an ACL user name without whitespace");
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException("user needs a password (AUTH user password): set password, e.g. "
                    + "from ${SLUICE_REDIS_PASSWORD}");
        }
        boolean secureScheme = "rediss".equals(parse(url).getScheme());
        if (Boolean.FALSE.equals(tls) && secureScheme) {
            throw new IllegalArgumentException("tls is false but the url starts with rediss://, which asks for TLS; "
                    + "drop one of them");
        }
        tls = secureScheme || Boolean.TRUE.equals(tls);
        if (caCertificate != null && !tls) {
            throw new IllegalArgumentException("caCertificate is only for TLS: set tls: true or a rediss:// url");
        }
        if (caCertificate != null && !Files.isReadable(caCertificate)) {
            throw new IllegalArgumentException("caCertificate " + caCertificate + " is not a readable file");
        }
    }

    /** Settings with defaults for everything but the URL. */
    public RedisSettings(String url) {
        this(url, null, null, null, null, null);
    }

    /** Settings of the default user without TLS options beyond the URL's scheme. */
    public RedisSettings(String url, String password, String keyPrefix, Duration connectTimeout,
                         Duration commandTimeout, Integer maxConnections) {
        this(url, password, keyPrefix, connectTimeout, commandTimeout, maxConnections, null, null, null);
    }

    public RedisSettings withPassword(String password) {
        return new RedisSettings(url, password, keyPrefix, connectTimeout, commandTimeout, maxConnections, user, tls,
                caCertificate);
    }

    /** These settings logging in as ACL {@code user} with {@code password}. */
    public RedisSettings withUser(String user, String password) {
        return new RedisSettings(url, password, keyPrefix, connectTimeout, commandTimeout, maxConnections, user, tls,
                caCertificate);
    }

    /** These settings over TLS, trusting {@code caCertificate} (a PEM file) or, when {@code null}, the JVM's CAs. */
    public RedisSettings withTls(Path caCertificate) {
        return new RedisSettings(url, password, keyPrefix, connectTimeout, commandTimeout, maxConnections, user, true,
                caCertificate);
    }

    public RedisSettings withKeyPrefix(String keyPrefix) {
        return new RedisSettings(url, password, keyPrefix, connectTimeout, commandTimeout, maxConnections, user, tls,
                caCertificate);
    }

    public RedisSettings withTimeouts(Duration connectTimeout, Duration commandTimeout) {
        return new RedisSettings(url, password, keyPrefix, connectTimeout, commandTimeout, maxConnections, user, tls,
                caCertificate);
    }

    public String host() {
        return parse(url).getHost();
    }

    public int port() {
        int port = parse(url).getPort();
        return port == -1 ? DEFAULT_PORT : port;
    }

    /** The logical database from the URL's path, 0 when there is none. */
    public int database() {
        String path = parse(url).getPath();
        return path == null || path.isEmpty() || path.equals("/") ? 0 : Integer.parseInt(path.substring(1));
    }

    @Override
    public String toString() {
        return "RedisSettings[url=" + url + ", user=" + (user == null ? "default" : user) + ", password="
                + (password == null ? "null" : "***") + ", tls=" + tls + ", caCertificate=" + caCertificate
                + ", keyPrefix=" + keyPrefix + ", connectTimeout=" + connectTimeout + ", commandTimeout="
                + commandTimeout + ", maxConnections=" + maxConnections + "]";
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // The URL carries no credentials (rejected below once parsed), but a malformed one might: do not echo it.
            throw new IllegalArgumentException("url must be redis://host[:port][/database], and this one does not "
                    + "parse: " + e.getReason(), e);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url must not carry credentials; set password instead "
                    + "(e.g. from ${SLUICE_REDIS_PASSWORD})");
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("url must start with redis:// or rediss://, got " + url);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("url must name a host (redis://host[:port][/database]), got " + url);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("url must not have a query or fragment, got " + url);
        }
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/") && !path.matches("/[0-9]{1,5}")) {
            throw new IllegalArgumentException("url path must be a database number, got " + url);
        }
        return uri;
    }

    private static void requireMillis(String field, Duration value) {
        if (value.toMillis() < 1 || value.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(field + " must be between 1 ms and " + Integer.MAX_VALUE
                    + " ms, got " + value);
        }
    }
}
