package dev.sluice.pipelines;

import dev.sluice.pipelines.logins.LoginsSettings;

import java.time.Duration;
import java.util.List;

/** Settings per pipeline under {@code pipelines:} in sluice.yaml; an absent pipeline gets its defaults. */
public record Pipelines(LoginsSettings logins) {
    public static final Pipelines DEFAULTS = new Pipelines(null);

    /** The pipeline names {@code sluice run} accepts. */
    public static final List<String> NAMES = List.of("logins");

    public Pipelines {
        logins = logins == null ? LoginsSettings.DEFAULTS : logins;
    }

    /** The longest graceful-stop bound of any pipeline: how long a stopping process must be given. */
    public Duration longestStopTimeout() {
        return logins.runner().stopTimeout();
    }
}
