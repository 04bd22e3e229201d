package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The stack's environment as a file of {@code KEY='value'} lines, so a shell ({@code set -a; . ./.sluice/env})
 * or another JVM can reach the running stack. Values are single-quoted, so spaces, quotes, {@code $} and newlines
 * survive a shell. The file is readable by its owner only (0600) because it holds credentials.
 */
public final class EnvFile {

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private EnvFile() {
    }

    /** Replaces {@code file} atomically, so a reader never sees half of it. */
    public static void write(Path file, Map<String, String> environment) {
        StringBuilder text = new StringBuilder();
        environment.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("not a shell variable name: " + key);
            }
            text.append(key).append('=').append(quote(value)).append('\n');
        });
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, file.getFileName() + ".", ".tmp", ownerOnly());
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** Reads a file written by {@link #write}; blank lines and {@code #} comments are allowed. */
    public static Map<String, String> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        return new Parser(file, text).entries();
    }

    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
        }
        return new FileAttribute<?>[0];
    }

    /** Reads the subset of shell syntax that {@link #write} produces: KEY=word, words made of quoted and escaped parts. */
    private static final class Parser {

        private final Path file;
        private final String text;
        private int position;
        private int line = 1;

        Parser(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        Map<String, String> entries() {
            Map<String, String> entries = new LinkedHashMap<>();
            while (skipBlankLinesAndComments()) {
                String key = key();
                entries.put(key, value());
                endOfLine();
            }
            return entries;
        }

        private boolean skipBlankLinesAndComments() {
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == '#') {
                    while (position < text.length() && text.charAt(position) != '\n') {
                        position++;
                    }
                } else if (c == '\n') {
                    line++;
                    position++;
                } else if (Character.isWhitespace(c)) {
                    position++;
                } else {
                    return true;
                }
            }
            return false;
        }

        private String key() {
            int equals = text.indexOf('=', position);
            if (equals < 0) {
                throw error("expected KEY=value");
            }
            String key = text.substring(position, equals);
            if (!KEY.matcher(key).matches()) {
                throw error("not a shell variable name: " + key);
            }
            position = equals + 1;
            return key;
        }

        private String value() {
            StringBuilder value = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == '\'') {
                    int close = text.indexOf('\'', position + 1);
                    if (close < 0) {
                        throw error("unterminated single quote");
                    }
                    String quoted = text.substring(position + 1, close);
                    line += (int) quoted.chars().filter(ch -> ch == '\n').count();
                    value.append(quoted);
                    position = close + 1;
                } else if (c == '\\') {
                    if (position + 1 >= text.length()) {
                        throw error("backslash at end of file");
                    }
                    value.append(text.charAt(position + 1));
                    position += 2;
                } else if (Character.isWhitespace(c)) {
                    break;
                } else if (c == '"' || c == '$' || c == '`') {
                    throw error("unsupported shell syntax " + c + " (values are written single-quoted)");
                } else {
                    value.append(c);
                    position++;
                }
            }
            return value.toString();
        }

        private void endOfLine() {
            while (position < text.length() && text.charAt(position) != '\n') {
                char c = text.charAt(position);
                if (c == '#') {
                    return;
                }
                if (!Character.isWhitespace(c)) {
                    throw error("unexpected text after value");
                }
                position++;
            }
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException(file + ":" + line + ": " + problem);
        }
    }
}
