package dev.sluice.pipelines;

import dev.sluice.pipelines.logins.LoginsPipeline;
import dev.sluice.pipelines.logins.LoginsSettings;
import dev.sluice.pipelines.playtime.PlaytimePipeline;
import dev.sluice.pipelines.playtime.PlaytimeSettings;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Settings per pipeline under {@code pipelines:} in sluice.yaml; an absent pipeline gets its defaults. */
public record Pipelines(LoginsSettings logins, PlaytimeSettings playtime) {
    public static final Pipelines DEFAULTS = new Pipelines(null, null);

    /** The pipeline names {@code sluice run} accepts. */
    public static final List<String> NAMES = List.of(LoginsPipeline.NAME, PlaytimePipeline.NAME);

    public Pipelines {
        logins = logins == null ? LoginsSettings.DEFAULTS : logins;
        playtime = playtime == null ? PlaytimeSettings.DEFAULTS : playtime;
    }

    /** The longest graceful-stop bound of any pipeline: how long a stopping process must be given. */
    public Duration longestStopTimeout() {
        return Stream.of(logins.runner(), playtime.runner()).map(r -> r.stopTimeout())
                .max(Duration::compareTo).orElseThrow();
    }
}
