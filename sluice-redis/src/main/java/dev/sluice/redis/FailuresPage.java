package dev.sluice.redis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of failed files read by {@link PlaytimeStore#failures(String, int)}, oldest first.
 *
 * @param failures the page
 * @param next     the cursor of the next page; empty after the last
 */
public record FailuresPage(List<FailedFile> failures, Optional<String> next) {

    public FailuresPage {
        Objects.requireNonNull(failures, "failures");
        Objects.requireNonNull(next, "next");
    }
}
