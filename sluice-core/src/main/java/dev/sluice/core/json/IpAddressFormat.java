package dev.sluice.core.json;

import java.util.Optional;

/**
 * Accepts IP address literals by their text alone; it never resolves names (no DNS), unlike
 * {@link java.net.InetAddress#getByName}, which would turn a hostile body into network traffic.
 *
 * <ul>
 *   <li>IPv4: four dot-separated decimal octets 0–255 without leading zeros ({@code 010.0.0.1} is refused because
 *       tools disagree whether it is octal).</li>
 *   <li>IPv6: eight groups of 1–4 hex digits, with at most one {@code ::} standing for one or more zero groups,
 *       and optionally an IPv4 dotted quad as the last 32 bits ({@code ::ffff:192.0.2.1}). Zone ids
 *       ({@code fe80::1%eth0}) and brackets are refused: they are not addresses to store.</li>
 * </ul>
 */
public final class IpAddressFormat implements FieldFormat {

    public static final IpAddressFormat INSTANCE = new IpAddressFormat();

    private static final String RULE = "not an IPv4 or IPv6 address";
    private static final int LONGEST_IPV6 = 45;

    private IpAddressFormat() {
    }

    @Override
    public Optional<String> problem(String value) {
        return isIpAddress(value) ? Optional.empty() : Optional.of(RULE);
    }

    public static boolean isIpAddress(String text) {
        return isIpv4(text) || isIpv6(text);
    }

    public static boolean isIpv4(String text) {
        return isIpv4(text, 0, text.length());
    }

    private static boolean isIpv4(String text, int from, int to) {
        int octets = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == '.') {
                if (!isOctet(text, start, i)) {
                    return false;
                }
                octets++;
                start = i + 1;
            }
        }
        return octets == 4;
    }

    private static boolean isOctet(String text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 3 || (length > 1 && text.charAt(from) == '0')) {
            return false;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255;
    }

    public static boolean isIpv6(String text) {
        if (text.length() < 2 || text.length() > LONGEST_IPV6) {
            return false;
        }
        int compression = text.indexOf("::");
        if (compression >= 0 && text.indexOf("::", compression + 1) >= 0) {
            return false;
        }
        if (compression < 0) {
            return groups(text, 0, text.length(), true) == 8;
        }
        int head = compression == 0 ? 0 : groups(text, 0, compression, false);
        int tail = compression + 2 == text.length() ? 0 : groups(text, compression + 2, text.length(), true);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /**
     * The number of 16-bit groups in {@code text[from, to)}, a colon-separated list; an IPv4 suffix counts as two
     * and is allowed only where {@code mayEndInIpv4}. Returns -1 when the list is malformed.
     */
    private static int groups(String text, int from, int to, boolean mayEndInIpv4) {
        int count = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == ':') {
                if (i == to && mayEndInIpv4 && text.indexOf('.', start) >= 0 && text.indexOf('.', start) < to) {
                    return isIpv4(text, start, to) ? count + 2 : -1;
                }
                if (!isHexGroup(text, start, i)) {
                    return -1;
                }
                count++;
                start = i + 1;
            }
        }
        return count;
    }

    private static boolean isHexGroup(String text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 4) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }
}
