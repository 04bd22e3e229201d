package dev.sluice.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a Redis that a killed run left behind. The embedded Redis is a child process: when its JVM dies by SIGKILL
 * it keeps running, holding its port and appending to the data directory's AOF. Redis removes its pid file on a
 * clean shutdown, so a pid file that names a live embedded {@code redis-server} means such an orphan.
 *
 * <p>Only call this while holding the data directory's {@link ExclusiveLock}: then no live owner can exist.
 */
final class RedisPidFile extends ServerPidFile {

    static final String FILE_NAME = "redis.pid";

    private static final Logger log = LoggerFactory.getLogger(RedisPidFile.class);
    static final RedisPidFile INSTANCE = new RedisPidFile();
    /** The prefix of the configuration file of every embedded Redis (EmbeddedRedis and the library's own). */
    static final String EMBEDDED_CONFIG_PREFIX = "embedded-redis-server_";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private RedisPidFile() {
        super(FILE_NAME, "Redis", "embedded Redis");
    }

    @Override
    protected boolean isOrphan(ProcessHandle process, Path dataDirectory) {
        ProcessHandle.Info info = process.info();
        boolean isRedis = info.command().map(Path::of).map(Path::getFileName)
                .map(name -> name.toString().startsWith("redis-server")).orElse(false);
        // A system Redis (redis-server /etc/redis/redis.conf) that reused the pid must survive.
        boolean startedEmbedded = info.arguments().map(List::of).orElse(List.of()).stream()
                .map(argument -> Path.of(argument).getFileName())
                .anyMatch(name -> name != null && name.toString().startsWith(EMBEDDED_CONFIG_PREFIX));
        return isRedis && startedEmbedded;
    }

    @Override
    protected void stopOrphan(ProcessHandle redis, Path dataDirectory) {
        redis.destroy();
        if (awaitExit(redis, SHUTDOWN_WAIT)) {
            return;
        }
        log.warn("Redis (pid {}) did not shut down within {}: killing it", redis.pid(), SHUTDOWN_WAIT);
        redis.destroyForcibly();
        if (!awaitExit(redis, KILL_WAIT)) {
            throw new IllegalStateException("could not stop Redis (pid " + redis.pid() + ") left running on "
                    + dataDirectory + "; stop it by hand and start again");
        }
    }
}
