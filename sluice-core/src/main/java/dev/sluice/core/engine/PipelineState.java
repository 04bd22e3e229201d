package dev.sluice.core.engine;

/** What a pipeline is doing, for health views. */
public enum PipelineState {
    /** Receiving and writing. */
    RUNNING,
    /** Running, but retrying a failure right now (the destination or the source is unreachable). */
    FAILING,
    /** Not started, or stopped. */
    STOPPED
}
