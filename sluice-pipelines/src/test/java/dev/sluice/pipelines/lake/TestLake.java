package dev.sluice.pipelines.lake;

import dev.sluice.local.EmbeddedS3;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A lake on the JVM's embedded S3: a fresh bucket, and files in the writer's layout and schema (written here with
 * DuckDB) under {@code events/year=…/month=…/day=…/event_type=…/}.
 */
final class TestLake {
    static final EmbeddedS3 S3 = EmbeddedS3.start(temporaryDirectory("sluice-lake-s3-"));
    static final String PREFIX = "events/";

    final String bucket = "lake-" + UUID.randomUUID().toString().substring(0, 8);
    final S3Client s3 = S3.newClient();
    final Path work = temporaryDirectory("sluice-lake-work-");

    TestLake() {
        S3.createBucket(bucket);
    }

    /** An event of the lake: its id, type and event time. */
    record Event(String uuid, String type, Instant createdAt) {
        String partition() {
            ZonedDateTime t = createdAt.atZone(ZoneOffset.UTC);
            return String.format(Locale.ROOT, "%syear=%04d/month=%02d/day=%02d/event_type=%s/", PREFIX, t.getYear(),
                    t.getMonthValue(), t.getDayOfMonth(), type);
        }
    }

    /** Stores the events as one file per partition named {@code <name>.parquet}; returns the keys. */
    List<String> store(List<Event> events, String name) throws Exception {
        Map<String, List<Event>> byPartition = events.stream().collect(Collectors.groupingBy(Event::partition));
        for (Map.Entry<String, List<Event>> p : byPartition.entrySet()) {
            Path file = work.resolve(UUID.randomUUID() + ".parquet");
            write(p.getValue(), file);
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(p.getKey() + name + ".parquet").build(),
                    RequestBody.fromFile(file));
            Files.delete(file);
        }
        return byPartition.keySet().stream().map(k -> k + name + ".parquet").sorted().toList();
    }

    static Map<String, Long> countByType(List<Event> events) {
        return events.stream().collect(Collectors.groupingBy(Event::type, Collectors.counting()));
    }

    static <K> Map<K, Long> countBy(List<List<Object>> rows, Function<List<Object>, K> key) {
        return rows.stream().collect(Collectors.toMap(key, r -> ((Number) r.get(1)).longValue()));
    }

    private static void write(List<Event> events, Path file) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE e (event_uuid VARCHAR NOT NULL, event_name VARCHAR NOT NULL, "
                    + "event_subtype VARCHAR, created_at DOUBLE NOT NULL, created_datetime VARCHAR NOT NULL, "
                    + "payload VARCHAR NOT NULL)");
            try (PreparedStatement insert = duck.prepareStatement("INSERT INTO e VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Event e : events) {
                    insert.setString(1, e.uuid());
                    insert.setString(2, e.type() + ":done");
                    insert.setString(3, "done");
                    insert.setDouble(4, e.createdAt().getEpochSecond() + e.createdAt().getNano() / 1e9);
                    insert.setString(5, e.createdAt().toString());
                    insert.setString(6, "{\"n\":1}");
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            s.execute("COPY e TO " + LakeCompaction.sqlString(file.toString()) + " (FORMAT PARQUET, COMPRESSION ZSTD)");
        }
    }

    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
