package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.pipelines.warehouse.WarehouseLoadSettings;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The warehouse load on real servers: a fresh bucket on the JVM's embedded S3 and the tracking tables migrated into
 * the database it is given.
 */
final class TrackingLoadHarness implements AutoCloseable {
    static final Path S3_DATA = temporaryDirectory("sluice-tracking-s3-");
    static final EmbeddedS3 S3 = EmbeddedS3.start(S3_DATA);
    static final Path FIXTURE = Path.of(System.getProperty("sluice.fixtures"), "tracking", "sample_events.ndjson");

    final String bucket = "tracking-" + UUID.randomUUID().toString().substring(0, 8);
    final S3Client s3 = S3.newClient();
    /** The shipped load, on this harness's bucket. */
    final WarehouseLoadSettings settings = TrackingJobs.load("bucket: " + bucket);
    final PostgresDatabase db;
    final WarehouseLoadJob job;
    private int files;

    TrackingLoadHarness(PostgresSettings postgres) {
        S3.createBucket(bucket);
        this.db = new PostgresDatabase(postgres);
        TrackingJobs.migrate(db, settings);
        this.job = TrackingJobs.loadJob(settings, s3, db.dataSource());
    }

    /** {@code count} distinct events made from the first fixture event, ids {@code <prefix>0…}. */
    static List<String> events(String prefix, int count) {
        String first = fixtureLines().getFirst();
        String id = "FB16866D-AE4D-416F-8848-122B07DA42F5";
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> first.replace(id, prefix + i)).toList();
    }

    static List<String> fixtureLines() {
        try {
            return Files.readAllLines(FIXTURE, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts {@code lines} as a gzip NDJSON raw file under the archive prefix; returns its key. Keys sort in order. */
    String putRaw(List<String> lines) {
        return putBytes(gzip(String.join("\n", lines) + "\n"));
    }

    String putBytes(byte[] bytes) {
        String key = nextKey();
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        return key;
    }

    /**
     * Writes a raw file straight into the store's data directory (s3proxy's filesystem backend serves it as the
     * object {@code key}), for tests that need thousands of files quickly.
     */
    String writeRawDirectly(List<String> lines) {
        String key = nextKey();
        writeDirectly(key, gzip(String.join("\n", lines) + "\n"));
        return key;
    }

    /** Like {@link #writeRawDirectly(List)}, for {@code bytes} under {@code key}; returns the ETag listings show. */
    String writeDirectly(String key, byte[] bytes) {
        Path file = S3_DATA.resolve(bucket).resolve(key);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            // Where the backend keeps an object's ETag: it names the attribute user.content-md5 through this same
            // view (which adds its own user. prefix); without it listings have no ETag.
            byte[] md5 = MessageDigest.getInstance("MD5").digest(bytes);
            Files.getFileAttributeView(file, UserDefinedFileAttributeView.class)
                    .write("user.content-md5", ByteBuffer.wrap(md5));
            return HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String nextKey() {
        return settings.prefix() + "dt=2026-11-22/" + String.format("%06d", ++files) + "-"
                + UUID.randomUUID() + ".json.gz";
    }

    static byte[] gzip(String text) {
        return gzip(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long events() throws SQLException {
        return count("SELECT count(*) FROM events");
    }

    @Override
    public void close() {
        db.close();
        s3.close();
    }

    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
