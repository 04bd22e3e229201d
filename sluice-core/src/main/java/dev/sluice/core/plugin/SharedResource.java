package dev.sluice.core.plugin;

import java.util.Objects;

/**
 * Something several plugins use and one process opens once: a connection pool, an S3 client, the masking keyset.
 * The module that owns it declares it as a constant; {@link PluginContext#shared} opens it at the first request
 * and the process closes it (when {@link AutoCloseable}) after every pipeline stopped.
 *
 * <pre>{@code
 * public static final SharedResource<PostgresDatabase> DATABASE = new SharedResource<>("postgres",
 *         context -> new PostgresDatabase(context.section(SECTION)));
 * }</pre>
 *
 * @param name    for errors and readiness ("postgres")
 * @param opener  opens it; may ask the context for sections and other shared resources
 * @param offline opens it, or a stand-in for it, without reaching any server or secret, for {@code sluice lint}
 *                (the same opener for a file format; a throwaway keyset for the keyset); null when it cannot be
 *                had offline (a connection pool), and lint then checks a part that asks for it up to there
 */
public record SharedResource<R>(String name, Opener<R> opener, Opener<R> offline) {

    public SharedResource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opener, "opener");
    }

    /** A resource that needs a server or a secret, so lint cannot open it. */
    public SharedResource(String name, Opener<R> opener) {
        this(name, opener, null);
    }

    /** A resource whose opening reaches nothing outside the process (a file format): lint opens it too. */
    public static <R> SharedResource<R> local(String name, Opener<R> opener) {
        return new SharedResource<>(name, opener, opener);
    }

    @FunctionalInterface
    public interface Opener<R> {
        R open(PluginContext context) throws Exception;
    }

    /** Identity: two resources are the same only when they are the same constant. */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
