package dev.sluice.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.files.FileFormat;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code parquet} format of the files sink: typed columns from the declared fields, read back by DuckDB. */
class ParquetFormatTest {
    private static final List<FieldSpec> FIELDS = List.of(
            FieldSpec.string("click_id").maxLength(64),
            FieldSpec.of("count", FieldType.INTEGER),
            FieldSpec.of("amount", FieldType.NUMBER).optional().nullable(),
            FieldSpec.of("bot", FieldType.BOOLEAN),
            FieldSpec.of("clicked_at", FieldType.TIMESTAMP),
            FieldSpec.of("day", FieldType.DATE),
            FieldSpec.string("note").optional().nullable(),
            FieldSpec.of("created_at", FieldType.DOUBLE));

    @TempDir
    Path dir;

    @Test
    void writesEachFieldAsATypedColumnThatReadsBackAsWritten() throws Exception {
        FileFormat format = ParquetFormat.UNBOUND.forFields(Fields.of(FIELDS));
        Path file = dir.resolve("clicks" + format.extension());
        FileFormat.Writer writer = format.open(file);
        Event full = event(Map.of("click_id", "c-1", "count", 3L, "amount", new BigDecimal("12.50"), "bot", true,
                "clicked_at", OffsetDateTime.parse("2026-12-07T10:15:00.123456Z"), "day",
                LocalDate.parse("2026-12-07"), "note", "ünï", "created_at", 1700000000.5d));
        Map<String, Object> sparse = new HashMap<>(Map.of("click_id", "c-2", "count", -1L, "bot", false,
                "clicked_at", OffsetDateTime.parse("1969-12-31T23:59:59Z"), "day", LocalDate.parse("1969-12-31"),
                "created_at", 0d));
        sparse.put("note", null);
        for (Event event : List.of(full, event(sparse))) {
            format.check(event);
            writer.append(event);
        }
        assertThat(writer.bytes()).isPositive();
        writer.close();

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rows = duck.createStatement().executeQuery("SELECT click_id, count, amount, bot, "
                     + "epoch_us(clicked_at), typeof(clicked_at), day::VARCHAR, note, created_at, typeof(created_at)"
                     + " FROM read_parquet('" + file
                     + "') ORDER BY click_id")) {
            assertThat(rows.next()).isTrue();
            assertThat(List.of(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getBoolean(4),
                    rows.getLong(5), rows.getString(6), rows.getString(7), rows.getString(8))).containsExactly(
                    "c-1", 3L, "12.50", true, 1_796_638_500_123_456L, "TIMESTAMP WITH TIME ZONE", "2026-12-07",
                    "ünï");
            assertThat(rows.getDouble(9)).isEqualTo(1700000000.5d);
            assertThat(rows.getString(10)).isEqualTo("DOUBLE");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("c-2");
            assertThat(rows.getLong(2)).isEqualTo(-1);
            assertThat(rows.getString(3)).isNull();
            assertThat(rows.getLong(5)).isEqualTo(-1_000_000L);
            assertThat(rows.getString(7)).isEqualTo("1969-12-31");
            assertThat(rows.getString(8)).isNull();
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void refusesAnEventWithoutARequiredValueOrWithAValueOfAnotherType() {
        FileFormat format = ParquetFormat.UNBOUND.forFields(Fields.of(FIELDS.subList(0, 2)));
        assertThatThrownBy(() -> format.check(event(Map.of("click_id", "c-1"))))
                .isInstanceOf(DestinationRejectedException.class)
                .hasMessage("parquet: field 'count' is missing or null, and its column is required");
        assertThatThrownBy(() -> format.check(event(Map.of("click_id", "c-1", "count", "3"))))
                .isInstanceOf(DestinationRejectedException.class)
                .hasMessage("parquet: field 'count' does not hold an integer (its column is declared so)");
    }

    @Test
    void needsTheFieldsASchemaDeclares() {
        assertThatThrownBy(() -> ParquetFormat.UNBOUND.forFields(Fields.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format: parquet makes its columns from the fields a schema declares; put a schema "
                        + "processor before the sink");
    }

    private static Event event(Map<String, ?> values) {
        Message message = new Message("{}", new SourceCoordinates.Queue("q", "m-1", 1), Instant.EPOCH, "r");
        return new Event(message, new FlatRecord(values));
    }
}
