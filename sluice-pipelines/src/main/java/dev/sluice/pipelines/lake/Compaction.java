package dev.sluice.pipelines.lake;

import java.util.List;
import java.util.Objects;

/**
 * One partition's files merged into one: the inputs, in key order, the output's key, and the ETag of each input as
 * the compaction read it (in the inputs' order; empty until they are read, and on rows older than that record).
 */
public record Compaction(String output, List<String> inputs, List<String> etags) {
    public Compaction {
        Objects.requireNonNull(output, "output");
        inputs = List.copyOf(inputs);
        etags = List.copyOf(etags);
        if (!etags.isEmpty() && etags.size() != inputs.size()) {
            throw new IllegalArgumentException("one ETag per input: " + inputs.size() + " inputs, " + etags.size()
                    + " ETags");
        }
    }

    /** A compaction planned, its inputs not read yet. */
    public Compaction(String output, List<String> inputs) {
        this(output, inputs, List.of());
    }

    /** This compaction with the ETags its inputs had when they were read. */
    public Compaction read(List<String> readEtags) {
        return new Compaction(output, inputs, readEtags);
    }

    /** The ETag input {@code i} was read at, or null when not recorded (then only its key is known). */
    String etag(int i) {
        return etags.isEmpty() ? null : etags.get(i);
    }
}
