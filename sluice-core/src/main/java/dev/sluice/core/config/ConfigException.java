package dev.sluice.core.config;

/**
 * A configuration file that cannot be used, with a message an operator can act on without a stack trace:
 * {@code sluice.yaml:12:5: pipelines.logins.batchSize: expected an integer, got "abc"}.
 */
public class ConfigException extends RuntimeException {

    private final String source;
    private final int line;
    private final int column;
    private final String keyPath;

    /**
     * @param line    1-based, or 0 when the problem has no single place (an empty file)
     * @param column  1-based, or 0 when unknown
     * @param keyPath dotted key path such as {@code pipelines.logins.batchSize}, or empty
     */
    public ConfigException(String source, int line, int column, String keyPath, String problem, Throwable cause) {
        super(format(source, line, column, keyPath, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.keyPath = keyPath;
    }

    private static String format(String source, int line, int column, String keyPath, String problem) {
        StringBuilder message = new StringBuilder(source);
        if (line > 0) {
            message.append(':').append(line);
            if (column > 0) {
                message.append(':').append(column);
            }
        }
        message.append(": ");
        if (!keyPath.isEmpty()) {
            message.append(keyPath).append(": ");
        }
        return message.append(problem).toString();
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String keyPath() {
        return keyPath;
    }
}
