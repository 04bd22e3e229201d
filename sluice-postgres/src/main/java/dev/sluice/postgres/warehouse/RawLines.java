package dev.sluice.postgres.warehouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads newline-separated lines as bytes with memory bounded by {@code maxLineBytes}: a longer line keeps its first
 * {@code maxLineBytes} bytes, is marked {@link Line#tooLong()}, and the rest of it is skipped. The bytes of the line
 * in progress stay available through {@link #partial()} when the stream fails, so a truncated tail can be recorded.
 */
final class RawLines {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int position;
    private int limit;
    private boolean tooLong;
    private boolean ended;

    /** One line, without its {@code \n} (and without a {@code \r} before it). */
    record Line(byte[] bytes, boolean tooLong) {
    }

    RawLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        line.reset();
        tooLong = false;
        while (true) {
            if (position == limit) {
                if (ended || !fill()) {
                    ended = true;
                    return line.size() == 0 && !tooLong ? null : take();
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            keep(start, position - start);
            if (position < limit) {
                position++;
                return take();
            }
        }
    }

    /** The bytes of the line being read when the stream failed. */
    byte[] partial() {
        return line.toByteArray();
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        if (read < 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private void keep(int start, int length) {
        int room = maxLineBytes - line.size();
        if (length > room) {
            tooLong = true;
        }
        line.write(buffer, start, Math.min(length, Math.max(room, 0)));
    }

    private Line take() {
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (!tooLong && length > 0 && bytes[length - 1] == '\r') {
            bytes = java.util.Arrays.copyOf(bytes, length - 1);
        }
        return new Line(bytes, tooLong);
    }
}
