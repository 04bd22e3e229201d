package dev.sluice.core.json;

import java.util.Optional;

/**
 * A check on the text of a string field beyond its type and length, such as "is an IP address". Formats never
 * reach out (no DNS, no network) and are safe to call from many threads.
 */
@FunctionalInterface
public interface FieldFormat {

    /**
     * The rule {@code value} breaks, worded without the value itself (it may be personal data), e.g.
     * {@code "not an IPv4 or IPv6 address"}; empty when the value is fine. The schema prefixes the field name.
     */
    Optional<String> problem(String value);
}
