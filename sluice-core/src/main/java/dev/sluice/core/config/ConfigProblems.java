package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where the configuration's problems go while it is checked: thrown at the first one ({@link #FIRST}, what
 * {@code run} and {@code check} do, as nothing can start anyway), or gathered so that {@code sluice lint} shows
 * every one at once ({@link #collecting()}). The same checks run either way, so lint and run cannot disagree.
 */
public final class ConfigProblems {

    /** Throws each problem as it is found. */
    public static final ConfigProblems FIRST = new ConfigProblems(false);

    private final boolean collect;
    // The same error can be found twice (a shared section bound for two parts, a shipped file linted with two user
    // files); it is shown once.
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<ConfigException> found = new ArrayList<>();

    private ConfigProblems(boolean collect) {
        this.collect = collect;
    }

    /** Gathers every problem reported to it. */
    public static ConfigProblems collecting() {
        return new ConfigProblems(true);
    }

    public boolean isCollecting() {
        return collect;
    }

    /** Records {@code problem}, or throws it when this stops at the first. */
    public void report(ConfigException problem) {
        if (!collect) {
            throw problem;
        }
        if (seen.add(problem.getMessage())) {
            found.add(problem);
        }
    }

    /** Runs {@code check}; a configuration error it throws is reported, and the next check runs. */
    public void check(Runnable check) {
        get(() -> {
            check.run();
            return Boolean.TRUE;
        });
    }

    /** The value {@code check} makes, or empty when it threw a configuration error, which is reported. */
    public <T> Optional<T> get(Supplier<T> check) {
        try {
            return Optional.ofNullable(check.get());
        } catch (ConfigException e) {
            report(e);
            return Optional.empty();
        }
    }

    /** Every problem gathered, in the order found. */
    public List<ConfigException> all() {
        return List.copyOf(found);
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }
}
