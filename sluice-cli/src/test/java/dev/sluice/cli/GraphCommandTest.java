package dev.sluice.cli;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.pipeline.PipelineGraph;
import dev.sluice.core.plugin.Catalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice graph} draws definitions as DOT or SVG; the drawings of the shipped pipelines in docs/pipelines are
 * the generated ones (run with {@code -Dsluice.docs.update=true} to write them).
 */
class GraphCommandTest {

    private static final Path PAGES = Path.of(System.getProperty("sluice.root", ".."), "docs", "pipelines");

    @Test
    void dotShowsTheChainTheErrorSinkAndWhatIsBesideTheSink() {
        Cli.Result result = Cli.run("graph", "tracking");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).startsWith("digraph sluice {")
                .contains("subgraph \"cluster_tracking\"",
                        "tracking_source [label=\"source sqs\\nqueue: tracking-events\"]",
                        "tracking_source -> tracking_p0;",
                        "tracking_source -> tracking_errors [style=dashed",
                        "tracking_sink -> tracking_job0 [style=dotted",
                        "tracking_sink -> tracking_routes0 [style=dotted")
                .doesNotContain("cluster_logins");
    }

    @Test
    void aUserPipelineIsDrawnFromItsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, """
                pipelines:
                  orders:
                    source: {type: sqs, queue: orders}
                    processors: [{id: parse, type: parse_json}]
                    sink: {type: postgres_table, table: orders, columns: {id: id}}
                    errors: {type: postgres_errors, table: orders_errors}
                """);

        Cli.Result result = Cli.run("graph", "--config", file.toString(), "--format", "svg", "orders");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).startsWith("<svg ").contains(">pipeline orders<", ">source sqs<",
                ">queue: orders<", ">processor parse_json (parse)<", ">table: orders<", ">errors postgres_errors<");
    }

    @Test
    void anUnknownPipelineOrFormatIsAUsageError() {
        Cli.Result pipeline = Cli.run("graph", "logns");
        Cli.Result format = Cli.run("graph", "--format", "png", "logins");

        assertThat(pipeline.exitCode()).as("%s", pipeline).isEqualTo(2);
        assertThat(pipeline.errLines()).singleElement().asString().contains("unknown pipeline 'logns'", "logins");
        assertThat(format.exitCode()).as("%s", format).isEqualTo(2);
        assertThat(format.errLines()).containsExactly("sluice: graph: --format is dot or svg, not 'png'");
    }

    @TestFactory
    Stream<DynamicTest> theDrawingsOfTheShippedPipelinesInTheDocsAreCurrent() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        PipelineDefinitions shipped = PipelineDefinitions.load(Catalog.load(), loader, Optional.empty());
        boolean update = Boolean.getBoolean("sluice.docs.update");
        return shipped.shipped().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String svg = PipelineGraph.svg(List.of(PipelineGraph.of(name, shipped.definition(name))));
            Path drawing = PAGES.resolve(name + ".svg");
            if (update) {
                Files.writeString(drawing, svg);
            }
            assertThat(drawing).as("the drawing of %s (sluice graph %s --format svg -o %s)", name, name, drawing)
                    .hasContent(svg.stripTrailing());
            assertThat(Files.readString(PAGES.resolve(name + ".md"))).as("the page shows it")
                    .contains("<!-- graph of " + name + ": generated", "](" + name + ".svg)\n<!-- end of graph -->");
        }));
    }
}
