package dev.sluice.redis;

import java.util.Comparator;

/**
 * Orders strings the way people read them: runs of digits compare by their number, so {@code user_2} comes before
 * {@code user_10}, which plain string order gets wrong. Other characters compare by code point. Ties (such as
 * {@code a01} and {@code a1}, equal as numbers) fall back to plain string order, so the order is consistent with
 * {@link String#equals} and safe as the comparator of a sorted map. Numbers of any length work (no parsing).
 */
public final class NaturalOrder implements Comparator<String> {

    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int byNumber = compareNumbers(a, i, endA, b, j, endB);
                if (byNumber != 0) {
                    return byNumber;
                }
                i = endA;
                j = endB;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int byRest = Integer.compare(a.length() - i, b.length() - j);
        return byRest != 0 ? byRest : a.compareTo(b);
    }

    private static int compareNumbers(String a, int from, int to, String b, int fromB, int toB) {
        int startA = skipZeros(a, from, to);
        int startB = skipZeros(b, fromB, toB);
        int byLength = Integer.compare(to - startA, toB - startB);
        if (byLength != 0) {
            return byLength;
        }
        for (int k = 0; k < to - startA; k++) {
            int byDigit = Character.compare(a.charAt(startA + k), b.charAt(startB + k));
            if (byDigit != 0) {
                return byDigit;
            }
        }
        return 0;
    }

    private static int skipZeros(String s, int from, int to) {
        int i = from;
        while (i < to - 1 && s.charAt(i) == '0') {
            i++;
        }
        return i;
    }

    private static int digitsEnd(String s, int from) {
        int i = from;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
