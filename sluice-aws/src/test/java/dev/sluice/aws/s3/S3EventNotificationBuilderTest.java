package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.sluice.core.engine.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class S3EventNotificationBuilderTest {

    private static final Instant T = Instant.parse("2026-11-22T10:15:30Z");
    private final S3EventNotificationBuilder builder = new S3EventNotificationBuilder("eu-west-1");
    private final S3EventNotificationParser parser = new S3EventNotificationParser();

    @Test
    void writesTheAwsStructure() {
        String json = builder.objectCreated("playtime-datasets", "dt=2026-11-22/day 1.parquet", 1024,
                "d41d8cd98f00b204e9800998ecf8427e", T);

        assertThat(json).isEqualTo("""
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1",\
                "eventTime":"2026-11-22T10:15:30.000Z","eventName":"ObjectCreated:Put",\
                "userIdentity":{"principalId":"sluice"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},\
                "responseElements":{"x-amz-request-id":"18EA5684D6CD1400","x-amz-id-2":"sluice"},\
                "s3":{"s3SchemaVersion":"1.0","configurationId":"sluice","bucket":{"name":"playtime-datasets",\
                "ownerIdentity":{"principalId":"sluice"},"arn":"arn:aws:s3:::playtime-datasets"},\
                "object":{"key":"dt%3D2026-11-22/day+1.parquet","size":1024,"eTag":"d41d8cd98f00b204e9800998ecf8427e",\
                "sequencer":"18EA5684D6CD1400"}}}]}""");
    }

    @Test
    void hasEveryFieldOfTheAwsExampleAndNoOther() {
        JsonMapper mapper = JsonMapper.builder().build();
        JsonNode aws = mapper.readTree(S3EventSamples.load("aws-doc-put.json")).get("Records").get(0);
        JsonNode ours = mapper.readTree(builder.objectCreated("b", "k", 1, "e", T)).get("Records").get(0);

        assertThat(fieldPaths(ours, "")).containsExactlyInAnyOrderElementsOf(
                fieldPaths(aws, "").stream().filter(p -> !p.equals("s3.object.versionId")).toList());
    }

    @Test
    void aLaterPutOfTheSameKeyHasAGreaterSequencer() {
        String first = sequencer(builder.objectCreated("b", "k", 1, "e", T));
        String second = sequencer(builder.objectCreated("b", "k", 1, "e", T.plusNanos(1)));

        assertThat(second).isGreaterThan(first).hasSameSizeAs(first);
    }

    @Test
    void roundTripsThroughTheParser() {
        for (String key : List.of("day 1.parquet", "a+b.parquet", "100% done.parquet", "été/日本/😀.parquet",
                "a/b/c.parquet", "/leading//double/", "%2B literally", "~!*'();:@&=+$,?#[]")) {
            assertThat(parser.apply(builder.objectCreated("bkt", key, 7, "etag-1", T)))
                    .isEqualTo(Outcome.emit(List.of(new S3ObjectRef("bkt", key, 7, "etag-1", T, "ObjectCreated:Put",
                            Optional.empty(), Optional.of("18EA5684D6CD1400")))));
        }
    }

    @Test
    void roundTripsRandomKeysSizesAndTimes() {
        qt().withExamples(2_000)
                .forAll(strings().ascii().ofLengthBetween(1, 60).mix(strings().allPossible().ofLengthBetween(1, 60))
                                .assuming(k -> k.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE)),
                        longs().between(0, Long.MAX_VALUE),
                        longs().between(0, 4_102_444_800_000L))
                .checkAssert((key, size, millis) -> {
                    Instant time = Instant.ofEpochMilli(millis);
                    Outcome<List<S3ObjectRef>> parsed = parser.apply(builder.objectCreated("b", key, size, "e", time));
                    assertThat(parsed).isInstanceOfSatisfying(Outcome.Emit.class, emit -> {
                        S3ObjectRef ref = (S3ObjectRef) ((List<?>) emit.value()).getFirst();
                        assertThat(ref.key()).isEqualTo(key);
                        assertThat(ref.size()).isEqualTo(size);
                        assertThat(ref.eventTime()).isEqualTo(time);
                    });
                });
    }

    @Test
    void refusesWhatS3WouldNeverSend() {
        assertThatThrownBy(() -> new S3EventNotificationBuilder(" ")).hasMessageContaining("region must be given");
        assertThatThrownBy(() -> builder.objectCreated("", "k", 1, "e", T)).hasMessage("bucket must be given");
        assertThatThrownBy(() -> builder.objectCreated("b", "", 1, "e", T)).hasMessage("key must be given");
        assertThatThrownBy(() -> builder.objectCreated("b", "k", -1, "e", T))
                .hasMessage("size must not be negative, was -1");
        assertThatThrownBy(() -> builder.objectCreated("b", "k", 1, " ", T)).hasMessage("eTag must be given");
    }

    private static String sequencer(String json) {
        return JsonMapper.builder().build().readTree(json).at("/Records/0/s3/object/sequencer").stringValue();
    }

    private static List<String> fieldPaths(JsonNode node, String prefix) {
        List<String> paths = new java.util.ArrayList<>();
        node.properties().forEach(field -> {
            String path = prefix + field.getKey();
            if (field.getValue().isObject()) {
                paths.addAll(fieldPaths(field.getValue(), path + "."));
            } else {
                paths.add(path);
            }
        });
        return paths;
    }
}
