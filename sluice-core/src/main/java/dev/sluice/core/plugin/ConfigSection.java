package dev.sluice.core.plugin;

import java.util.Objects;

/**
 * A top-level section of sluice.yaml that plugins share, such as {@code postgres:} or {@code aws:}: bound once, the
 * first time a plugin asks for it, so a section only the unused pipelines need is never required.
 *
 * @param key         the top-level key
 * @param type        the settings record (defaults and rules in its compact constructor)
 * @param description one line for the reference
 */
public record ConfigSection<S>(String key, Class<S> type, String description) {
    public ConfigSection {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
    }
}
