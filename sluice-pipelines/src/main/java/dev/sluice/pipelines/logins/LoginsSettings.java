package dev.sluice.pipelines.logins;

import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.postgres.SqlIdentifier;

/**
 * Settings of the {@code logins} pipeline ({@code pipelines.logins} in sluice.yaml). Every field has a default.
 *
 * @param source       the SQS queue and its polling (default queue {@code login-queue})
 * @param table        target table (default {@code user_logins})
 * @param errorTable   rejects table (default {@code login_errors})
 * @param maxBodyBytes largest accepted message body in UTF-8 bytes (default 65,536); larger ones are rejected
 * @param masking      mode per PII field
 * @param runner       concurrency, batching, retries, stop timeout
 */
public record LoginsSettings(
        SqsSourceSettings source,
        String table,
        String errorTable,
        Integer maxBodyBytes,
        LoginMasking masking,
        RunnerSettings runner) {

    public static final String DEFAULT_QUEUE = "login-queue";
    public static final LoginsSettings DEFAULTS = new LoginsSettings(null, null, null, null, null, null);

    public LoginsSettings {
        source = source == null ? SqsSourceSettings.of(DEFAULT_QUEUE) : source;
        table = plainTableName("table", table == null ? "user_logins" : table);
        errorTable = plainTableName("errorTable", errorTable == null ? "login_errors" : errorTable);
        if (table.equals(errorTable)) {
            throw new IllegalArgumentException("table and errorTable must differ, both are " + table);
        }
        maxBodyBytes = maxBodyBytes == null ? 65_536 : maxBodyBytes;
        if (maxBodyBytes < 64 || maxBodyBytes > 1_048_576) {
            throw new IllegalArgumentException("maxBodyBytes must be 64 to 1048576 (the SQS maximum), was "
                    + maxBodyBytes);
        }
        masking = masking == null ? LoginMasking.DEFAULTS : masking;
        runner = runner == null ? RunnerSettings.DEFAULTS : runner;
    }

    /** Table names also name an index, so they are plain identifiers without a schema prefix. */
    private static String plainTableName(String field, String name) {
        try {
            return SqlIdentifier.unqualifiedTable(name).name();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }
}
