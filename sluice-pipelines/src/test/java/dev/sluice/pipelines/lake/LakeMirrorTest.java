package dev.sluice.pipelines.lake;

import dev.sluice.pipelines.lake.TestLake.Event;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local copy of the lake: only new or changed keys are downloaded, gone keys are removed, keys stay inside. */
@OnEachPostgres
class LakeMirrorTest {

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    PostgresDatabase db;
    TestLake lake;

    @BeforeEach
    void open() {
        db = new PostgresDatabase(database.settings());
        db.migrate(LakePipeline.MIGRATIONS, LakePipeline.HISTORY_TABLE);
        lake = new TestLake();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<Event> events(String type, int count) {
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        return IntStream.range(0, count).mapToObj(i -> new Event(UUID.randomUUID().toString(), type, at)).toList();
    }

    private LakeMirror mirror() {
        return new LakeMirror(lake.s3, lake.bucket, TestLake.PREFIX, new CompactionLog(db.dataSource()),
                dir.resolve("cache"));
    }

    @Test
    void onlyNewOrChangedKeysAreDownloadedAndGoneKeysAreRemoved() throws Exception {
        List<String> a = lake.store(events("a", 5), "f1");
        List<String> b = lake.store(events("b", 5), "f1");

        LakeMirror.Result first = mirror().sync();
        assertThat(first.files()).isEqualTo(2);
        assertThat(first.downloaded()).isEqualTo(2);

        LakeMirror.Result unchanged = mirror().sync();
        assertThat(unchanged.downloaded()).isZero();
        assertThat(unchanged.removed()).isZero();

        lake.store(events("a", 7), "f1");
        lake.s3.deleteObject(DeleteObjectRequest.builder().bucket(lake.bucket).key(b.getFirst()).build());
        LakeMirror.Result changed = mirror().sync();

        assertThat(changed.downloaded()).as("the rewritten key").isEqualTo(1);
        assertThat(changed.removed()).as("the deleted key").isEqualTo(1);
        assertThat(new LakeQuery(changed.root()).run("SELECT count(*) FROM events").rows().getFirst().getFirst())
                .isEqualTo(7L);
        assertThat(Files.exists(changed.root().getParent().resolve(a.getFirst()))).isTrue();
    }

    @Test
    void aKeyThatWouldLeaveTheCacheIsRefusedNamingItAndTheRule() {
        ForwardingS3 listing = new ForwardingS3(lake.s3) {
            @Override
            public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
                return ListObjectsV2Response.builder().isTruncated(false).contents(S3Object.builder()
                        .key("events/../../escape.parquet").eTag("\"e\"").size(1L).build()).build();
            }
        };
        LakeMirror mirror = new LakeMirror(listing, lake.bucket, TestLake.PREFIX, new CompactionLog(db.dataSource()),
                dir.resolve("cache"));

        assertThatThrownBy(mirror::sync).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("object key events/../../escape.parquet leaves the cache directory; keys must not "
                        + "contain '..' segments or start with '/'");
        assertThat(dir.resolve("cache").resolve("escape.parquet")).doesNotExist();
    }
}
