package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class EmbeddedKinesisTest {

    private static EmbeddedKinesis kinesis;
    private static KinesisClient client;

    @BeforeAll
    static void startKinesis() {
        kinesis = EmbeddedKinesis.start();
        client = kinesis.newClient();
    }

    @AfterAll
    static void stopKinesis() {
        client.close();
        kinesis.close();
    }

    @Test
    void isAvailableWhereNodeIsInstalled() {
        assertThat(EmbeddedKinesis.available()).isTrue();
        assertThat(EmbeddedKinesis.unavailableReason()).isEmpty();
    }

    @Test
    void createsAStreamWhoseRecordsReadBackFromEveryShard() {
        kinesis.createStream("orders", 2);
        List<String> sent = List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
        for (int i = 0; i < sent.size(); i++) {
            String key = "key-" + i;
            String body = sent.get(i);
            client.putRecord(b -> b.streamName("orders").partitionKey(key).data(SdkBytes.fromUtf8String(body)));
        }

        List<Shard> shards = client.listShards(b -> b.streamName("orders")).shards();
        List<String> read = new ArrayList<>();
        for (Shard shard : shards) {
            read.addAll(readToEnd("orders", shard.shardId()));
        }

        assertThat(shards).hasSize(2);
        assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(kinesis.streamNames()).contains("orders");
        assertThat(kinesis.describe()).startsWith("Kinesis   " + kinesis.endpoint()).contains("orders (2 shards)");
        assertThat(kinesis.environment()).containsEntry("AWS_ENDPOINT_URL_KINESIS", kinesis.endpoint().toString())
                .containsKeys("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    }

    /** The Kinesis source relies on this: a split parent ends (no next iterator) and its children name it. */
    @Test
    void splitShardClosesTheParentAndItsChildrenNameIt() {
        kinesis.createStream("splitting", 1);
        client.putRecord(b -> b.streamName("splitting").partitionKey("a").data(SdkBytes.fromUtf8String("before")));
        String parent = client.listShards(b -> b.streamName("splitting")).shards().getFirst().shardId();

        client.splitShard(b -> b.streamName("splitting").shardToSplit(parent)
                .newStartingHashKey("170141183460469231731687303715884105728"));
        kinesis.awaitActive("splitting");

        List<Shard> shards = client.listShards(b -> b.streamName("splitting")).shards();
        assertThat(shards).hasSize(3);
        assertThat(shards.stream().filter(s -> parent.equals(s.parentShardId()))).hasSize(2);
        String iterator = client.getShardIterator(b -> b.streamName("splitting").shardId(parent)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse first = client.getRecords(b -> b.shardIterator(iterator));
        assertThat(first.records()).extracting(r -> r.data().asUtf8String()).containsExactly("before");
        GetRecordsResponse last = first.nextShardIterator() == null ? first
                : client.getRecords(b -> b.shardIterator(first.nextShardIterator()));
        assertThat(last.nextShardIterator()).as("a closed shard read to its end has no next iterator").isNull();
    }

    @Test
    void theJarsPackageFilesInstallTheEmulatorWhereNoneIs(@TempDir Path directory) {
        assertThat(KinesisLocalInstall.installed(directory)).isEmpty();

        Path main = KinesisLocalInstall.ensure(directory);

        assertThat(main).isRegularFile().endsWith(Path.of("node_modules", "kinesis-local", "main.js"));
        assertThat(directory.resolve("package-lock.json")).isRegularFile();
        assertThat(KinesisLocalInstall.ensure(directory)).as("installed once, reused afterwards").isEqualTo(main);
    }

    @Test
    void withoutNodeTheEmulatorIsUnavailableAndSaysWhy(@TempDir Path directory) throws Exception {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        assertThat(KinesisLocalInstall.unavailableReason(directory, bin.toString()))
                .contains("node is not on the PATH (the Kinesis emulator is a Node.js program)");

        Path node = Files.createFile(bin.resolve("node"));
        assertThat(node.toFile().setExecutable(true)).isTrue();
        assertThat(KinesisLocalInstall.unavailableReason(directory.resolve("empty"), bin.toString()))
                .contains("the Kinesis emulator is not installed in " + directory.resolve("empty")
                        + " and npm is not on the PATH to install it");
    }

    @Test
    void closingStopsTheNodeProcess() {
        EmbeddedKinesis second = EmbeddedKinesis.start();
        long pid = second.pid();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        second.close();
        second.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aTakenPortFailsWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedKinesis.start(taken.getLocalPort(), null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; Kinesis cannot "
                            + "start there");
        }
    }

    @Test
    void streamsInADataDirectorySurviveARestart(@TempDir Path data) {
        try (EmbeddedKinesis first = EmbeddedKinesis.start(0, data); KinesisClient writer = first.newClient()) {
            first.createStream("kept", 1);
            writer.putRecord(b -> b.streamName("kept").partitionKey("k").data(SdkBytes.fromUtf8String("survives")));
            // Records persist base64-encoded; waiting for the record, not only the stream, means it is on disk.
            String persistedRecord = Base64.getEncoder().encodeToString("survives".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(20)).until(() -> persisted(data).contains(persistedRecord));
        }

        try (EmbeddedKinesis second = EmbeddedKinesis.start(0, data); KinesisClient reader = second.newClient()) {
            String shard = reader.listShards(b -> b.streamName("kept")).shards().getFirst().shardId();
            assertThat(readToEnd(reader, "kept", shard)).containsExactly("survives");
        }
    }

    @Test
    void anEmulatorAKilledRunLeftOnTheDataDirectoryIsStoppedFirst(@TempDir Path data) throws Exception {
        Path main = KinesisLocalInstall.ensure(KinesisLocalInstall.directory());
        ProcessBuilder orphanBuilder = new ProcessBuilder("node", main.toString()).directory(main.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        orphanBuilder.environment().put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(LoopbackPort.free("test")));
        orphanBuilder.environment().put("KINESIS_MOCK_TLS_PORT", Integer.toString(LoopbackPort.free("test")));
        Process orphan = orphanBuilder.start();
        try {
            Files.createDirectories(data);
            Files.writeString(data.resolve(KinesisPidFile.FILE_NAME), orphan.pid() + "\n");

            try (EmbeddedKinesis kinesis = EmbeddedKinesis.start(0, data)) {
                assertThat(orphan.isAlive()).as("the orphan was stopped before the new emulator started").isFalse();
                assertThat(Files.readString(data.resolve(KinesisPidFile.FILE_NAME)).strip())
                        .isEqualTo(Long.toString(kinesis.pid()));
                assertThatThrownBy(() -> EmbeddedKinesis.start(0, data))
                        .isInstanceOf(AlreadyInUseException.class)
                        .hasMessageStartingWith("another sluice Kinesis is using " + data);
            }
            assertThat(data.resolve(KinesisPidFile.FILE_NAME)).doesNotExist();
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void aPidFileNamingAnotherProgramLeavesItAlone(@TempDir Path data) throws Exception {
        Files.createDirectories(data);
        Files.writeString(data.resolve(KinesisPidFile.FILE_NAME), ProcessHandle.current().pid() + "\n");

        try (EmbeddedKinesis kinesis = EmbeddedKinesis.start(0, data)) {
            assertThat(kinesis.pid()).isNotEqualTo(ProcessHandle.current().pid());
        }
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    private static String persisted(Path data) throws Exception {
        Optional<Path> file;
        try (var files = Files.list(data)) {
            file = files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst();
        }
        return file.isPresent() ? Files.readString(file.get()) : "";
    }

    private static List<String> readToEnd(String stream, String shardId) {
        return readToEnd(client, stream, shardId);
    }

    /** Reads a shard from its start until a call returns no records. */
    private static List<String> readToEnd(KinesisClient reader, String stream, String shardId) {
        String iterator = reader.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<String> read = new ArrayList<>();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse response = reader.getRecords(b -> b.shardIterator(current));
            response.records().stream().map(Record::data).map(SdkBytes::asUtf8String).forEach(read::add);
            iterator = response.records().isEmpty() ? null : response.nextShardIterator();
        }
        return read;
    }
}
