package dev.sluice.redis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of records read by {@link TotalsStore#failures(String, int)} or
 * {@link TotalsStore#rejects(String, int)}, oldest first.
 *
 * @param items the page
 * @param next  the cursor of the next page; empty after the last
 */
public record Page<T>(List<T> items, Optional<String> next) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }
}
