package dev.sluice.core.status;

import dev.sluice.core.engine.Backlog;
import dev.sluice.core.engine.PipelineState;
import dev.sluice.core.engine.RejectNote;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One pipeline as the dashboard and {@code sluice status} show it, as of one moment. Everything in it is PII-free:
 * counts, rule names and source coordinates.
 *
 * @param name          the pipeline
 * @param state         running, failing (retrying a failure now) or stopped
 * @param source        the source's name, e.g. the queue
 * @param received      messages received since start
 * @param written       messages whose values are durable
 * @param rejected      messages rejected
 * @param dropped       messages with nothing to write
 * @param inFlight      received and not yet acknowledged by this process
 * @param retries       transient failures retried since start
 * @param failingSince  when the failure going on now started
 * @param failingReason why it fails (the operation and the error's kind, never a value), while it fails
 * @param throughput    written and rejected per {@link StatusBoard#STEP}, oldest first, over the last
 *                      {@link StatusBoard#HISTORY}
 * @param backlog       the source's backlog, when it can tell and answered
 * @param latestRejects newest first
 */
public record PipelineStatus(String name, PipelineState state, String source, long received, long written, long rejected,
                             long dropped, long inFlight, long retries, Optional<Instant> failingSince,
                             Optional<String> failingReason,
                             List<ThroughputStep> throughput, Optional<Backlog> backlog,
                             List<RejectNote> latestRejects) {

    /** Messages written and rejected during one step that ended at {@code time}. */
    public record ThroughputStep(Instant time, long written, long rejected) {
    }
}
