package dev.sluice.pipelines.lake;

import java.util.List;
import java.util.Objects;

/** One partition's files merged into one: the inputs, in key order, and the output's key. */
public record Compaction(String output, List<String> inputs) {
    public Compaction {
        Objects.requireNonNull(output, "output");
        inputs = List.copyOf(inputs);
    }
}
