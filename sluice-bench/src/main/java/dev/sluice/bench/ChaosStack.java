package dev.sluice.bench;

import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedKinesis;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.local.TcpProxy;

import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The embedded stack of a chaos run, in the runner's JVM, and the faults it can inflict on it. The worker reaches
 * the queue, the stream, Postgres and Redis through a {@link TcpProxy} each (so its connections can be cut
 * half-open, or the queue and stream made unreachable); the generators and the checks talk to the servers directly.
 *
 * <p>An outage of Postgres, Redis or the S3 store stops the server and starts it again on the same port and data.
 * The queue (ElasticMQ) and the stream (kinesis-local) keep their data in memory, or persist it once a second,
 * so stopping them would lose what they hold, which real SQS and Kinesis never do when a client cannot reach them:
 * their outage is a cut of every worker connection instead (nothing flows for its length, new connections hang),
 * as a network partition would do.
 */
final class ChaosStack implements AutoCloseable {

    /** What a pipeline depends on, and what can be taken away from it. */
    enum Service {
        POSTGRES("Postgres"), REDIS("Redis"), S3("S3 store"), QUEUE("SQS queue"), STREAM("Kinesis stream");

        final String label;

        Service(String label) {
            this.label = label;
        }
    }

    private final EmbeddedStack stack;
    private final Path directory;
    private final Map<Service, TcpProxy> proxies = new LinkedHashMap<>();
    private final Keyset keyset = Keyset.generate();
    private S3Client s3;

    private ChaosStack(EmbeddedStack stack, Path directory) {
        this.stack = stack;
        this.directory = directory;
    }

    static ChaosStack start(Path directory, List<ChaosTarget> targets) {
        EmbeddedStack.Builder builder = EmbeddedStack.builder().baseDirectory(directory.resolve("stack"));
        targets.forEach(t -> t.prepare(builder));
        ChaosStack chaos = new ChaosStack(builder.start(), directory);
        try {
            chaos.proxies.put(Service.QUEUE, TcpProxy.start("127.0.0.1", chaos.stack.sqs().endpoint().getPort()));
            chaos.proxies.put(Service.POSTGRES, TcpProxy.start("127.0.0.1", chaos.stack.postgres().port()));
            if (needs(targets, Service.REDIS)) {
                chaos.proxies.put(Service.REDIS, TcpProxy.start("127.0.0.1", chaos.stack.redis().port()));
            }
            if (needs(targets, Service.STREAM)) {
                EmbeddedKinesis kinesis = chaos.stack.kinesis().orElseThrow(() -> new IllegalStateException(
                        "the lake's chaos run needs the Kinesis emulator (node), which this machine lacks: "
                                + EmbeddedKinesis.unavailableReason().orElse("")));
                chaos.proxies.put(Service.STREAM, TcpProxy.start("127.0.0.1", kinesis.endpoint().getPort()));
            }
            return chaos;
        } catch (RuntimeException e) {
            chaos.close();
            throw e;
        }
    }

    private static boolean needs(List<ChaosTarget> targets, Service service) {
        return targets.stream().anyMatch(t -> t.services().contains(service));
    }

    EmbeddedStack servers() {
        return stack;
    }

    Path directory() {
        return directory;
    }

    /** A client of the S3 store, shared by the targets' generators and checks. */
    synchronized S3Client s3() {
        if (s3 == null) {
            s3 = stack.s3().newClient();
        }
        return s3;
    }

    /** A connection straight to the embedded Postgres (not through the worker's proxy); the caller closes it. */
    Connection postgres() throws SQLException {
        return DriverManager.getConnection(stack.postgres().jdbcUrl());
    }

    /** The one number {@code sql} selects, from the embedded Postgres. */
    long count(String sql) throws SQLException {
        try (Connection db = postgres(); var statement = db.createStatement(); var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column {@code sql} selects → how many rows hold it. */
    Map<String, Integer> occurrences(String sql) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection db = postgres(); var statement = db.createStatement(); var rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                counts.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The first column {@code sql} selects → the second (the last row wins). */
    Map<String, String> pairs(String sql) throws SQLException {
        Map<String, String> pairs = new HashMap<>();
        try (Connection db = postgres(); var statement = db.createStatement(); var rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                pairs.put(rs.getString(1), rs.getString(2));
            }
        }
        return pairs;
    }

    /** What {@code sluice run} in the worker needs: every endpoint, through its proxy where it has one. */
    Map<String, String> workerEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(LocalAwsAccount.environment());
        environment.put("AWS_REGION", LocalAwsAccount.REGION.id());
        environment.put("AWS_ENDPOINT_URL_SQS", viaProxy(Service.QUEUE, stack.sqs().endpoint()));
        environment.put("SLUICE_POSTGRES_URL", stack.postgres().jdbcUrl()
                .replace(":" + stack.postgres().port() + "/", ":" + proxies.get(Service.POSTGRES).port() + "/"));
        if (proxies.containsKey(Service.REDIS)) {
            environment.put("SLUICE_REDIS_URL", "redis://127.0.0.1:" + proxies.get(Service.REDIS).port());
        }
        if (proxies.containsKey(Service.STREAM)) {
            environment.put("AWS_ENDPOINT_URL_KINESIS", viaProxy(Service.STREAM, stack.kinesis().orElseThrow().endpoint()));
        }
        try {
            environment.put("AWS_ENDPOINT_URL_S3", stack.s3().endpoint().toString());
        } catch (IllegalStateException noBucketAskedFor) {
            // logins alone runs no S3; the worker then gets no S3 endpoint
        }
        environment.put(Keyset.ENV_KEYSET, keyset.toJson());
        environment.put("SLUICE_API_TOKEN", UUID.randomUUID().toString());
        return environment;
    }

    private String viaProxy(Service service, URI endpoint) {
        return endpoint.getScheme() + "://127.0.0.1:" + proxies.get(service).port();
    }

    /** How to inflict an outage or a cut, and how to end it. */
    record OnOff(Runnable off, Runnable on) {
    }

    /**
     * An outage takes {@code service} away: stops its server and starts it again on the same port and data, or
     * (queue, stream) cuts every worker connection to it. A half-open cut leaves the server up and cuts the worker's
     * connections through its proxy.
     */
    OnOff fault(ChaosPlan.Kind kind, Service service) {
        if (kind == ChaosPlan.Kind.HALF_OPEN) {
            return new OnOff(proxies.get(service)::cutHalfOpen, proxies.get(service)::restore);
        }
        return switch (service) {
            case POSTGRES -> new OnOff(stack.postgres()::stop, stack.postgres()::start);
            case REDIS -> new OnOff(stack.redis()::stop, stack.redis()::start);
            case S3 -> new OnOff(stack.s3()::stop, stack.s3()::start);
            case QUEUE, STREAM -> new OnOff(proxies.get(service)::cutHalfOpen, proxies.get(service)::restore);
        };
    }

    /** The services of {@code targets} that can be cut half-open: Postgres where a target uses it, else Redis. */
    static Service halfOpenService(List<ChaosTarget> targets) {
        return needs(targets, Service.POSTGRES) ? Service.POSTGRES : Service.REDIS;
    }

    /** Every service some target uses, in outage order. */
    static List<Service> services(List<ChaosTarget> targets) {
        List<Service> used = new ArrayList<>();
        for (Service service : Service.values()) {
            if (needs(targets, service)) {
                used.add(service);
            }
        }
        return used;
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
        proxies.values().forEach(TcpProxy::close);
        stack.close();
    }
}
