package dev.sluice.core.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Sets system properties the AWS SDK reads before the process environment ({@code aws.configFile},
 * {@code aws.profile}, {@code aws.region}, …) and puts back what was there on close: tests must not change the
 * environment, nor leave a setting behind for the next test in the JVM.
 */
public final class SystemProperties implements AutoCloseable {
    private final Map<String, String> previous = new HashMap<>();

    private SystemProperties() {
    }

    public static SystemProperties set(Map<String, String> properties) {
        SystemProperties set = new SystemProperties();
        properties.forEach((key, value) -> {
            set.previous.put(key, System.getProperty(key));
            System.setProperty(key, value);
        });
        return set;
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
