package dev.sluice.cli;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice schema} describes every file Sluice ships or shows: each shipped definition, each example, the
 * documented sluice.example.yaml and the built-in configuration validate against it, as an editor would read them
 * (variables unreplaced); a file with a mistake of each kind the schema can see does not.
 */
class SchemaCommandTest {

    private static final Path ROOT = Path.of(System.getProperty("sluice.root", ".."));
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private static Schema schema() {
        Cli.Result result = Cli.run("schema");
        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode schema = JsonMapper.builder().build().readTree(result.out());
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
    }

    private static List<String> errors(Schema schema, String yaml) {
        List<String> errors = new ArrayList<>();
        for (Error error : schema.validate(YAML.readTree(yaml))) {
            errors.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return errors;
    }

    static List<Path> shownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> shipped = Files.list(ROOT.resolve("sluice-pipelines/src/main/resources/sluice/pipelines"));
             Stream<Path> examples = Files.list(ROOT.resolve("docs/examples"))) {
            // configurations only: a pipeline test (NAME.test.yaml) is another kind of file
            Stream.concat(shipped, examples).filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.toString().endsWith(".test.yaml")).sorted().forEach(files::add);
        }
        files.add(ROOT.resolve("docs/sluice.example.yaml"));
        files.add(ROOT.resolve("sluice-cli/src/main/resources/" + ConfigSource.BUILT_IN));
        return files;
    }

    @TestFactory
    Stream<DynamicTest> everyShippedAndDocumentedFileIsValid() throws IOException {
        Schema schema = schema();
        List<Path> files = shownFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        return files.stream().map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(),
                () -> assertThat(errors(schema, Files.readString(file))).isEmpty()));
    }

    @Test
    void theSchemaIsDraft2020WithAPartPerPluginChosenByType() {
        Cli.Result result = Cli.run("schema");
        JsonNode schema = JsonMapper.builder().build().readTree(result.out());

        assertThat(schema.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        JsonNode sinks = schema.at("/$defs/sink/oneOf");
        assertThat(sinks.valueStream().map(b -> b.at("/properties/type/const").asString()))
                .contains("postgres_table", "files", "parquet_totals");
        JsonNode table = sinks.valueStream().filter(b -> b.at("/properties/type/const").asString()
                .equals("postgres_table")).findFirst().orElseThrow();
        assertThat(table.get("required").valueStream().map(JsonNode::asString)).contains("type", "table", "columns");
        assertThat(table.at("/properties/key/default").asString()).isEqualTo("natural_key");
        assertThat(table.at("/properties/create/anyOf/0/enum").valueStream().map(JsonNode::asString))
                .containsExactly("auto", "none", "AUTO", "NONE");
        assertThat(table.at("/properties/table/description").asString()).contains("schema.name");
    }

    @Test
    void writingToAFileLeavesStdoutEmpty(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("sluice.schema.json");

        Cli.Result result = Cli.run("schema", "--output", file.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(Cli.run("schema").out());
    }

    /** A valid new pipeline, and each mistake the schema sees: where it is reported. */
    private static final String ORDERS = """
            pipelines:
              orders:
                source: {type: sqs, queue: orders, waitTime: 10s}
                processors:
                  - {type: parse_json, maxBodyBytes: 65536}
                  - {type: schema, fields: {order_id: {type: string}}}
                sink: {type: postgres_table, table: orders, columns: {order_id: order_id}}
                errors: {type: postgres_errors, table: orders_errors}
                runner: {batchSize: "${BATCH:-100}"}
            """;

    @Test
    void aValidFileHasNoErrorsAndEachMistakeIsFound() {
        Schema schema = schema();
        assertThat(errors(schema, ORDERS)).isEmpty();

        assertThat(errors(schema, ORDERS.replace("type: sqs", "type: sqss"))).as("unknown plugin type")
                .anySatisfy(e -> assertThat(e).startsWith("/pipelines/orders/source"));
        assertThat(errors(schema, ORDERS.replace("waitTime: 10s", "waitTim: 10s"))).as("unknown key")
                .anySatisfy(e -> assertThat(e).startsWith("/pipelines/orders/source"));
        assertThat(errors(schema, ORDERS.replace("maxBodyBytes: 65536", "maxBodyBytes: lots"))).as("wrong type")
                .anySatisfy(e -> assertThat(e).startsWith("/pipelines/orders/processors/0"));
        assertThat(errors(schema, ORDERS.replace(", table: orders_errors", ""))).as("a required setting")
                .anySatisfy(e -> assertThat(e).startsWith("/pipelines/orders/errors"));
        assertThat(errors(schema, ORDERS.replace("runner:", "runnr:"))).as("a definition key")
                .anySatisfy(e -> assertThat(e).startsWith("/pipelines/orders"));
        assertThat(errors(schema, "postgress: {url: x}\n" + ORDERS)).as("a top-level key").isNotEmpty();
    }
}
