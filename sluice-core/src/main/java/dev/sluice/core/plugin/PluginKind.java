package dev.sluice.core.plugin;

/** Where a plugin goes in a pipeline definition. */
public enum PluginKind {
    SOURCE("source", "source"),
    PROCESSOR("processor", "processors[]"),
    SINK("sink", "sink"),
    ERRORS("error sink", "errors"),
    JOB("job", "jobs[]"),
    ROUTES("routes", "routes[]");

    private final String description;
    private final String key;

    PluginKind(String description, String key) {
        this.description = description;
        this.key = key;
    }

    /** As users say it: "error sink". */
    public String description() {
        return description;
    }

    /** The definition key it is written under: {@code processors[]}. */
    public String key() {
        return key;
    }
}
