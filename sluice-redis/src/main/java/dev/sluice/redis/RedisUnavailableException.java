package dev.sluice.redis;

/**
 * Redis could not be used now and retrying may help (the connection failed, a failover or a restart is under way),
 * or a read could not be answered. The message names the call and the Redis error code, never a key or a value
 * (see {@link RedisFailures}), so it may be logged as it is.
 */
public final class RedisUnavailableException extends RuntimeException {

    RedisUnavailableException(String message) {
        super(message);
    }

    RedisUnavailableException(String message, Throwable connectionFailure) {
        super(message, connectionFailure);
    }
}
