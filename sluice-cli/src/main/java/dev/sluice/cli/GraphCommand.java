package dev.sluice.cli;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.pipeline.PipelineGraph;
import dev.sluice.core.plugin.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice graph [PIPELINE…]}: draws pipeline definitions (source → processors → sink, the error sink, jobs and
 * routes) as DOT or SVG, from the definitions alone: nothing is reached, and without {@code --config} (the shipped
 * definitions) no variable is needed.
 */
@Command(name = "graph", mixinStandardHelpOptions = true, description = "Draw pipelines (source -> processors ->"
        + " sink, the error sink, jobs and routes) as DOT or SVG, from the definitions alone: nothing is reached.")
final class GraphCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PIPELINE", arity = "0..*", description = "the pipelines to draw (default: all)")
    List<String> names = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "sluice.yaml merged over the shipped definitions (default: the shipped definitions)")
    Path config;

    @Option(names = "--format", paramLabel = "dot|svg", defaultValue = "dot", description = "dot (default) or svg")
    String format;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("dot") && !format.equals("svg")) {
            spec.commandLine().getErr().println("sluice: graph: --format is dot or svg, not '" + format + "'");
            return 2;
        }
        ConfigLoader loader = new ConfigLoader(System.getenv());
        PipelineDefinitions definitions = PipelineDefinitions.load(Catalog.load(), loader,
                config == null ? Optional.empty() : Optional.of(loader.read(config)));
        List<PipelineGraph> graphs = new ArrayList<>();
        for (String name : names.isEmpty() ? definitions.names() : names) {
            graphs.add(PipelineGraph.of(name, definitions.definition(name)));
        }
        String drawing = format.equals("svg") ? PipelineGraph.svg(graphs) : PipelineGraph.dot(graphs);
        output.write(spec, "graph", drawing);
        return 0;
    }
}
