package dev.sluice.parquet;

import java.io.IOException;

/**
 * The file cannot be read as the requested columns: not Parquet, empty, truncated, corrupt, or a column missing
 * or of the wrong type. It is a property of the file, so retrying will not help; the message is one line meant
 * for an error record ("column EventDuration: expected INT64, found BINARY (string)").
 */
public final class BadParquetFileException extends IOException {

    private static final long serialVersionUID = 1L;

    public BadParquetFileException(String message) {
        super(message);
    }

    public BadParquetFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
