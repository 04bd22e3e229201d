package dev.sluice.core.plugin;

/**
 * Implemented by a source's settings: what it reads, so two pipelines that would split one queue or stream between
 * them are refused before anything starts.
 */
public interface ReadsFrom {
    /** A stable description of what is read, e.g. {@code "SQS queue orders"}; equal for the same queue. */
    String readsFrom();
}
