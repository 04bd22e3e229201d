package dev.sluice.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Partition folders from a template, the placeholder of missing values, and the templates refused. */
class PartitionerTest {

    private static Event event(Map<String, ?> fields) {
        Message message = new Message("{}", new SourceCoordinates.Queue("q", "m-1", 1), Instant.EPOCH, "r");
        return new Event(message, new FlatRecord(fields));
    }

    @Test
    void fieldsFillTheTemplateAsTextEncodedSoAValueCannotAddAFolder() {
        Partitioner partitioner = Partitioner.of("dt={day}/type={type}/n={n}", "__missing__");
        assertThat(partitioner.path(event(Map.of("day", LocalDate.of(2026, 12, 7), "type", "a/b c",
                "n", new BigDecimal("1E+3"))))).isEqualTo("dt=2026-12-07/type=a%2Fb%20c/n=1000");
        assertThat(partitioner.path(event(Map.of("day", JsonNodeFactory.instance.stringNode("..") , "type", "é",
                "n", 7L)))).isEqualTo("dt=%2E%2E/type=%C3%A9/n=7");
    }

    @Test
    void anAbsentNullOrEmptyFieldGoesToThePlaceholder() {
        Partitioner partitioner = Partitioner.of("type={type}", "none");
        Map<String, Object> nullType = new HashMap<>();
        nullType.put("type", null);
        assertThat(partitioner.path(event(Map.of()))).isEqualTo("type=none");
        assertThat(partitioner.path(event(nullType))).isEqualTo("type=none");
        assertThat(partitioner.path(event(Map.of("type", "")))).isEqualTo("type=none");
        assertThat(partitioner.path(event(Map.of("type", JsonNodeFactory.instance.nullNode()))))
                .isEqualTo("type=none");
    }

    @Test
    void anEmptyTemplateIsOneFolder() {
        assertThat(Partitioner.of("", "x").path(event(Map.of("type", "a")))).isEmpty();
    }

    @Test
    void badTemplatesAndPlaceholdersAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Partitioner.of("/dt={day}", "x")).hasMessageStartingWith("partition must be");
        assertThatThrownBy(() -> Partitioner.of("dt={day}/", "x")).hasMessageStartingWith("partition must be");
        assertThatThrownBy(() -> Partitioner.of("a//b", "x")).hasMessageStartingWith("partition must be");
        assertThatThrownBy(() -> Partitioner.of("dt={}", "x")).hasMessageStartingWith("partition: '{}' names no");
        assertThatThrownBy(() -> Partitioner.of("dt={day", "x")).hasMessageStartingWith("partition: a '{' or '}'");
        assertThatThrownBy(() -> Partitioner.of("dt=day}", "x")).hasMessageStartingWith("partition: a '{' or '}'");
        assertThatThrownBy(() -> Partitioner.of("dt={day}", "a/b"))
                .hasMessage("partitionMissing must be letters, digits, '.', '_' or '-', was 'a/b'");
        assertThatThrownBy(() -> Partitioner.of("dt={day}", "")).hasMessageStartingWith("partitionMissing must");
    }

    @Test
    void aFieldThatDoesNotReachTheSinkIsAnErrorAtPartitionWhenTheFieldsAreKnown() {
        Partitioner partitioner = Partitioner.of("dt={day}/type={kind}", "x");
        partitioner.check(Fields.UNKNOWN);
        assertThatThrownBy(() -> partitioner.check(Fields.of(List.of(FieldSpec.string("day"),
                FieldSpec.string("type")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition: no field 'kind' reaches this point (the partition template uses it; the fields"
                        + " here are day, type)");
    }

    @Test
    void filesAreNamedBySourcePositionWithTheReceiveCountOfAQueueMessage() {
        assertThat(FileNamer.SOURCE_POSITION.name(new Message("b", new SourceCoordinates.Stream("s",
                "shardId-000000000001", "4953"), Instant.EPOCH, "r"), Instant.EPOCH)).isEqualTo("shardId-000000000001-4953");
        assertThat(FileNamer.SOURCE_POSITION.name(new Message("b", new SourceCoordinates.Queue("q",
                "4f1c-77", 2), Instant.EPOCH, "r"), Instant.EPOCH)).isEqualTo("4f1c-77-2");
        assertThat(FileNamer.SOURCE_POSITION.name(new Message("b", new SourceCoordinates.StoredObject("bk",
                "a/b.csv", "e1"), Instant.EPOCH, "r"), Instant.EPOCH)).isEqualTo("bk%2Fa%2Fb.csv%40e1");
    }

    @Test
    void openedAtNamesAFileByTheUtcDayAndTimeItWasOpened() {
        String name = FileNamer.OPENED_AT.name(new Message("b", new SourceCoordinates.Queue("q", "4f1c-77", 2),
                Instant.EPOCH, "r"), Instant.parse("2026-12-07T23:59:58.900Z"));
        assertThat(name).matches("dt=2026-12-07/235958-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
