package dev.sluice.core.engine;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about a pipeline and its messages, with the pipeline and the message's source coordinates as
 * structured fields (SLF4J key-value pairs) beside the readable text: JSON logs carry them as the fields
 * {@value #PIPELINE} and {@value #SOURCE}, so operators filter on them instead of parsing the message.
 *
 * <pre>{@code
 * PipelineLog.at(log, Level.INFO, pipeline, m.coordinates())
 *         .log("pipeline {}: rejected {}: {}", pipeline, m.coordinates().describe(), reason);
 * }</pre>
 *
 * <p>The source field only ever holds {@link SourceCoordinates#describe()}, which carries no payload data; the
 * text must not either (bodies hold PII).
 */
public final class PipelineLog {
    /** The field naming the pipeline a line is about. */
    public static final String PIPELINE = "pipeline";
    /** The field naming the message (or file) a line is about, as {@link SourceCoordinates#describe()}. */
    public static final String SOURCE = "source";

    private PipelineLog() {
    }

    /** A line about {@code pipeline} as a whole, or about a batch of its messages. */
    public static LoggingEventBuilder at(Logger log, Level level, String pipeline) {
        return log.atLevel(level).addKeyValue(PIPELINE, pipeline);
    }

    /** A line about one message (or file) of {@code pipeline}. */
    public static LoggingEventBuilder at(Logger log, Level level, String pipeline, SourceCoordinates source) {
        return at(log, level, pipeline).addKeyValue(SOURCE, source.describe());
    }
}
