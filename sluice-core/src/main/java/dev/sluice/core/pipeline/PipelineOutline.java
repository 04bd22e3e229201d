package dev.sluice.core.pipeline;

import dev.sluice.core.config.ConfigNode;

import java.util.List;
import java.util.Objects;

/**
 * What a pipeline is built of, as its definition names it: each part's plugin type and, where the definition gives
 * one, its step id. The dashboard draws it on the pipeline's card ({@code GET /api/status}); it holds settings'
 * names only, nothing of the data.
 *
 * @param source     the source step
 * @param processors the processors, in order
 * @param sink       the sink step
 * @param errors     the error sink step
 * @param jobs       the scheduled jobs, in order
 * @param routes     the read routes steps, in order
 */
public record PipelineOutline(Step source, List<Step> processors, Step sink, Step errors, List<Step> jobs,
                             List<Step> routes) {

    public PipelineOutline {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(errors, "errors");
        processors = List.copyOf(processors);
        jobs = List.copyOf(jobs);
        routes = List.copyOf(routes);
    }

    /**
     * One part: its plugin type, and its {@code id} when the definition gives one (null otherwise).
     */
    public record Step(String type, String id) {
        public Step {
            Objects.requireNonNull(type, "type");
        }
    }

    /** The outline of a definition whose parts were bound already (so every part has a type). */
    public static PipelineOutline of(ConfigNode definition) {
        return new PipelineOutline(step(definition.at("source")), steps(definition.at("processors")),
                step(definition.at("sink")), step(definition.at("errors")), steps(definition.at("jobs")),
                steps(definition.at("routes")));
    }

    private static List<Step> steps(ConfigNode list) {
        return list.elements().stream().map(PipelineOutline::step).toList();
    }

    private static Step step(ConfigNode node) {
        return new Step(node.at("type").text().orElse(""), node.at("id").text().orElse(null));
    }
}
