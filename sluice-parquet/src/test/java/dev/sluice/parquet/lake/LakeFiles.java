package dev.sluice.parquet.lake;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.SourceCoordinates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Events to write and the lake read back with DuckDB, for the lake writer's tests. */
final class LakeFiles {
    static final String SHARD = "shardId-000000000000";

    private LakeFiles() {
    }

    /** An event of {@code name} at whole second {@code created}, with {@code payload} as its other fields. */
    static LakeEvent event(String uuid, String name, Instant created, String payload) {
        String[] parts = name.split(":");
        return new LakeEvent(uuid, name, parts[0], parts.length > 1 ? parts[1] : null, created.getEpochSecond(),
                created.toString(), payload);
    }

    static Message message(String shard, long sequence) {
        return new Message("{}", new SourceCoordinates.Stream("product-events", shard, Long.toString(sequence)),
                Instant.EPOCH, Long.toString(sequence));
    }

    /** One row of the lake as DuckDB reads it with {@code hive_partitioning=true}. */
    record Row(String eventUuid, String eventName, String eventType, String eventSubtype, double createdAt,
               String createdDatetime, String payload, long year, long month, long day, String file) {
    }

    static List<Row> read(Path root) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_uuid, event_name, event_type, event_subtype, created_at, "
                     + "created_datetime, payload, year, month, day, filename FROM read_parquet('"
                     + root.resolve("events").toString().replace("'", "''")
                     + "/**/*.parquet', hive_partitioning = true, filename = true, "
                     + "hive_types = {'event_type': VARCHAR})")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5),
                        rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                        root.relativize(Path.of(rs.getString(11))).toString()));
            }
        }
        return rows;
    }

    /** Every file below {@code root}, as keys relative to it, hidden files included. */
    static List<String> keys(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).sorted().toList();
        }
    }
}
