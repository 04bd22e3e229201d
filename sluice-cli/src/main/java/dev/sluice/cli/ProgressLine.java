package dev.sluice.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * One self-overwriting status line on a terminal ({@code \r}), or a plain line every few seconds when the output
 * is not a terminal (CI logs, pipes), so logs stay readable.
 */
final class ProgressLine {
    private static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private final PrintStream out;
    private final boolean terminal;
    private long lastPlain;
    private int lastLength;

    ProgressLine(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null;
    }

    void show(String text) {
        if (terminal) {
            String padded = text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
            out.print("\r" + padded);
            out.flush();
            lastLength = text.length();
        } else if (System.nanoTime() - lastPlain >= PLAIN_EVERY.toNanos()) {
            out.println(text);
            lastPlain = System.nanoTime();
        }
    }

    void finish(String text) {
        if (terminal) {
            show(text);
            out.println();
        } else {
            out.println(text);
        }
    }

    /** {@code [#########           ] 45%} */
    static String bar(long done, long total, int width) {
        double share = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(share * width);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", Math.round(share * 100));
    }
}
