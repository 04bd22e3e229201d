package dev.sluice.postgres.warehouse;

import java.util.List;

/**
 * Rows in PostgreSQL's COPY text format: columns separated by tabs, rows by newlines, NULL as {@code \N}, and
 * backslash, tab, newline and carriage return escaped with a backslash, so any value arrives exactly as given.
 */
final class CopyText {

    private CopyText() {
    }

    /**
     * Appends one row to {@code out}; the index of a column whose value holds a NUL character (which PostgreSQL text
     * cannot store) is returned instead, with {@code out} unchanged, or -1 when the row was appended.
     */
    static int appendRow(StringBuilder out, List<String> values) {
        int mark = out.length();
        for (int column = 0; column < values.size(); column++) {
            if (column > 0) {
                out.append('\t');
            }
            String value = values.get(column);
            if (value == null) {
                out.append("\\N");
                continue;
            }
            if (plain(value)) {
                out.append(value);
                continue;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\0' -> {
                        out.setLength(mark);
                        return column;
                    }
                    default -> out.append(c);
                }
            }
        }
        out.append('\n');
        return -1;
    }

    /** Whether {@code value} holds nothing to escape (nor a NUL), so it can be appended whole: the common case. */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r' || c == '\0') {
                return false;
            }
        }
        return true;
    }
}
