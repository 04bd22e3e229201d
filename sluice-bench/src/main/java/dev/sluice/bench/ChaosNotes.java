package dev.sluice.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Things a chaos check found wrong, counted by kind: "3× a valid login rejected: …". */
final class ChaosNotes {
    private final Map<String, Long> counts = new LinkedHashMap<>();

    void add(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    void addIf(boolean found, String what) {
        if (found) {
            add(what);
        }
    }

    /** Whether a reject has a reason; one without is noted as wrong. */
    boolean hasReason(String reason) {
        addIf(reason.isBlank(), "a reject without a reason");
        return !reason.isBlank();
    }

    long count() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        counts.forEach((what, n) -> lines.add(n + "× " + what));
        return lines;
    }
}
