package dev.sluice.core.json;

import java.util.Optional;

/**
 * An app version such as {@code "2.3.0"} or {@code "0.96"}, and its encoding as one {@code int} that sorts like the
 * version, so a Postgres {@code integer} column (the {@code user_logins.app_version} of the challenge DDL) can be
 * compared and ordered directly.
 *
 * <p><b>Text:</b> {@code MAJOR[.MINOR[.PATCH]]}, 1 to 3 parts of ASCII digits, no signs, spaces or empty parts.
 * Missing parts are 0. Parts are numbers, so leading zeros do not count: {@code "6.02"} is 6.2.0 and
 * {@code "2.00"} is 2.0.0 (keep the original text next to the integer when the exact spelling matters).
 *
 * <p><b>Encoding:</b> {@code major * 1_000_000 + minor * 1_000 + patch} with minor and patch 0–999 and major
 * 0–2146, so every encoding fits a signed 32-bit integer: {@code "0.96"} → 96000, {@code "2.3.0"} → 2003000,
 * {@code "10"} → 10000000. Different versions get different integers, and integer order is version order
 * (compare the parts as numbers, left to right).
 */
public record VersionNumber(int major, int minor, int patch) implements Comparable<VersionNumber> {

    public static final int MAX_MAJOR = 2146;
    public static final int MAX_MINOR = 999;
    public static final int MAX_PATCH = 999;

    /** Schema format for version strings: "app_version: not a version (1 to 3 dot-separated numbers)". */
    public static final FieldFormat FORMAT = VersionNumber::problem;

    private static final String NOT_A_VERSION = "not a version (1 to 3 dot-separated numbers)";
    private static final String[] PART_NAMES = {"major", "minor", "patch"};
    private static final int[] PART_LIMITS = {MAX_MAJOR, MAX_MINOR, MAX_PATCH};

    public VersionNumber {
        check(major, 0);
        check(minor, 1);
        check(patch, 2);
    }

    private static void check(int value, int part) {
        if (value < 0 || value > PART_LIMITS[part]) {
            throw new IllegalArgumentException(PART_NAMES[part] + " part must be 0 to " + PART_LIMITS[part]
                    + ", got " + value);
        }
    }

    /**
     * Reads a version string.
     *
     * @throws IllegalArgumentException with the broken rule (not the text), e.g. "major part exceeds 2146"
     */
    public static VersionNumber parse(String text) {
        int[] parts = new int[3];
        String problem = read(text, parts);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new VersionNumber(parts[0], parts[1], parts[2]);
    }

    /** The rule {@code text} breaks, or empty if it is a valid version. */
    public static Optional<String> problem(String text) {
        return Optional.ofNullable(read(text, new int[3]));
    }

    /** The order-preserving integer, e.g. 2003000 for 2.3.0. */
    public int encode() {
        return major * 1_000_000 + minor * 1_000 + patch;
    }

    /** The version {@link #encode()} made {@code encoded} from. */
    public static VersionNumber decode(int encoded) {
        if (encoded < 0) {
            throw new IllegalArgumentException("an encoded version is never negative, got " + encoded);
        }
        return new VersionNumber(encoded / 1_000_000, encoded / 1_000 % 1_000, encoded % 1_000);
    }

    @Override
    public int compareTo(VersionNumber other) {
        return Integer.compare(encode(), other.encode());
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }

    /** Fills {@code parts} and returns null, or returns the broken rule. Digits are accumulated with a cap. */
    private static String read(String text, int[] parts) {
        int part = 0;
        int digits = 0;
        long value = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                digits++;
                value = Math.min(value * 10 + (c - '0'), Integer.MAX_VALUE);
            } else if (c == '.' && digits > 0 && part < 3) {
                if (value > PART_LIMITS[part]) {
                    return PART_NAMES[part] + " part exceeds " + PART_LIMITS[part];
                }
                parts[part++] = (int) value;
                digits = 0;
                value = 0;
            } else {
                return NOT_A_VERSION;
            }
        }
        return null;
    }
}
