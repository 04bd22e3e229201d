package dev.sluice.pipelines;

import dev.sluice.pipelines.lake.LakePipeline;
import dev.sluice.pipelines.lake.LakeSettings;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Settings of the pipelines still wired in Java, under {@code pipelines:} in sluice.yaml; an absent pipeline gets
 * its defaults. The others (logins, playtime, tracking, and every pipeline a user defines) are definitions: see
 * {@link dev.sluice.core.pipeline.PipelineDefinitions}.
 */
public record Pipelines(LakeSettings lake) {
    public static final Pipelines DEFAULTS = new Pipelines(null);

    /** The Java-wired pipelines {@code sluice run} (without names) starts: none (the lake runs only when named). */
    public static final List<String> NAMES = List.of();

    /**
     * Every pipeline name {@code sluice run} accepts, and what {@code demo} starts. {@code lake} runs under
     * {@code run} only when named: it needs its stream (or {@code source: sqs}), which not every deployment has.
     */
    public static final List<String> KNOWN = List.of(LakePipeline.NAME);

    public Pipelines {
        lake = lake == null ? LakeSettings.DEFAULTS : lake;
    }

    /** The longest graceful-stop bound of any pipeline: how long a stopping process must be given. */
    public Duration longestStopTimeout() {
        return Stream.of(lake.runner())
                .map(r -> r.stopTimeout())
                .max(Duration::compareTo).orElseThrow();
    }
}
