package dev.sluice.pipelines;

import dev.sluice.pipelines.lake.LakePipeline;
import dev.sluice.pipelines.lake.LakeSettings;
import dev.sluice.pipelines.playtime.PlaytimePipeline;
import dev.sluice.pipelines.playtime.PlaytimeSettings;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Settings of the pipelines still wired in Java, under {@code pipelines:} in sluice.yaml; an absent pipeline gets
 * its defaults. The others (logins, tracking, and every pipeline a user defines) are definitions: see
 * {@link dev.sluice.core.pipeline.PipelineDefinitions}.
 */
public record Pipelines(PlaytimeSettings playtime, LakeSettings lake) {
    public static final Pipelines DEFAULTS = new Pipelines(null, null);

    /** The pipelines {@code sluice run} (without names) starts. */
    public static final List<String> NAMES = List.of(PlaytimePipeline.NAME);

    /**
     * Every pipeline name {@code sluice run} accepts, and what {@code demo} starts. {@code lake} runs under
     * {@code run} only when named: it needs its stream (or {@code source: sqs}), which not every deployment has.
     */
    public static final List<String> KNOWN = List.of(PlaytimePipeline.NAME, LakePipeline.NAME);

    public Pipelines {
        playtime = playtime == null ? PlaytimeSettings.DEFAULTS : playtime;
        lake = lake == null ? LakeSettings.DEFAULTS : lake;
    }

    /** The longest graceful-stop bound of any pipeline: how long a stopping process must be given. */
    public Duration longestStopTimeout() {
        return Stream.of(playtime.runner(), lake.runner())
                .map(r -> r.stopTimeout())
                .max(Duration::compareTo).orElseThrow();
    }
}
