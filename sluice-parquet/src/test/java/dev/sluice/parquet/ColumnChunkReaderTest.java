package dev.sluice.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The page decoding of {@link ColumnChunkReader} on layouts the playtime writer does not produce: v2 data pages,
 * required columns (no definition levels), many pages per chunk, and dictionary ids a corrupt page could hold.
 */
class ColumnChunkReaderTest {

    private static final int ROWS = 30_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1}, dictionary {2}")
    @CsvSource({
        "PARQUET_1_0, optional, true", "PARQUET_1_0, optional, false",
        "PARQUET_1_0, required, true", "PARQUET_1_0, required, false",
        "PARQUET_2_0, optional, true", "PARQUET_2_0, optional, false",
        "PARQUET_2_0, required, true", "PARQUET_2_0, required, false"})
    void everyValueAndNullComesBackFromEachPageLayout(WriterVersion version, String repetition, boolean dictionary)
            throws IOException {
        boolean optional = repetition.equals("optional");
        MessageType schema = MessageTypeParser.parseMessageType("message playtime { " + repetition
                + " binary UserID (STRING); " + repetition + " binary EventType (STRING); " + repetition
                + " int64 EventDuration; }");
        Path file = dir.resolve(version + "-" + repetition + "-" + dictionary + ".parquet");
        var groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withWriterVersion(version)
                .withDictionaryEncoding(dictionary)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupRowCountLimit(12_000)
                .withPageRowCountLimit(1_000)
                .build()) {
            for (int i = 0; i < ROWS; i++) {
                Group row = groups.newGroup();
                if (!optional || i % 11 != 0) {
                    row.append("UserID", user(i));
                }
                if (!optional || i % 13 != 0) {
                    row.append("EventType", type(i));
                }
                if (!optional || i % 7 != 0) {
                    row.append("EventDuration", duration(i));
                }
                writer.write(row);
            }
        }
        assertThat(firstPageIsV2(file)).isEqualTo(version == WriterVersion.PARQUET_2_0);

        int row = 0;
        try (var reader = ParquetColumnReader.open(file, EventDurationFileWriter.COLUMNS)) {
            for (RowGroupBatch batch = reader.nextRowGroup(); batch != null; batch = reader.nextRowGroup()) {
                for (int r = 0; r < batch.rows(); r++, row++) {
                    assertThat(batch.strings(0).value(r)).isEqualTo(optional && row % 11 == 0 ? null : user(row));
                    assertThat(batch.strings(1).value(r)).isEqualTo(optional && row % 13 == 0 ? null : type(row));
                    assertThat(batch.int64s(2).isNull(r)).isEqualTo(optional && row % 7 == 0);
                    if (!batch.int64s(2).isNull(r)) {
                        assertThat(batch.int64s(2).value(r)).isEqualTo(duration(row));
                    }
                }
            }
        }
        assertThat(row).isEqualTo(ROWS);
    }

    private static String user(int i) {
        return "user_" + (i * 31 % 200);
    }

    private static String type(int i) {
        return i % 3 == 0 ? "battle" : "menu";
    }

    private static long duration(int i) {
        return i % 3 == 0 ? i : -i % 10;
    }

    private static boolean firstPageIsV2(Path file) throws IOException {
        try (var reader = ParquetFileReader.open(new LocalInputFile(file))) {
            var page = reader.readNextRowGroup().getPageReader(reader.getFileMetaData().getSchema().getColumns()
                    .get(0)).readPage();
            assertThat(page).isInstanceOfAny(DataPageV1.class, DataPageV2.class);
            return page instanceof DataPageV2;
        }
    }

    @Test
    void aDictionaryIdOutsideTheDictionaryIsCorruptData() {
        StringColumn column = new StringColumn("UserID");
        ColumnFiller filler = column.filler();
        filler.reset(2);
        filler.setDictionary(new Dictionary(Encoding.PLAIN_DICTIONARY) {
            @Override
            public int getMaxId() {
                return 1;
            }

            @Override
            public Binary decodeToBinary(int id) {
                return Binary.fromString("user_" + id);
            }
        });
        filler.addValueFromDictionary(1);

        assertThatThrownBy(() -> filler.addValueFromDictionary(2)).isInstanceOf(ParquetDecodingException.class)
                .hasMessage("column UserID: dictionary id 2 outside the chunk's dictionary of 2");
        assertThat(column.value(0)).isEqualTo("user_1");
    }
}
