package dev.sluice.postgres.warehouse;

import dev.sluice.postgres.SqlIdentifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Redshift form of a warehouse load (SQL generation only; Postgres is the warehouse that is run and tested):
 * for a batch of raw files, a COPY manifest listing them and the {@code COPY} that loads it, so Redshift reads the
 * gzip NDJSON straight from S3 instead of through the loader.
 *
 * <pre>{@code
 * RedshiftCopy redshift = new RedshiftCopy(SqlIdentifier.table("events_staging"),
 *         "arn:aws:iam::123456789012:role/redshift-load");
 * s3.putObject(bucket, "tracking-manifests/run-42.json", redshift.manifest(bucket, keys));
 * redshift.copy(bucket, "tracking-manifests/run-42.json");
 * // COPY "events_staging" FROM 's3://tracking/tracking-manifests/run-42.json'
 * //   IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-load' FORMAT JSON 'auto' GZIP TIMEFORMAT 'auto' MANIFEST
 * }</pre>
 *
 * <p>Redshift does not enforce unique keys, so exactly-once needs the same shape as the Postgres load: in one
 * transaction, COPY into a staging table, insert the rows whose id is not in the table yet, insert the batch's
 * ledger rows, commit (docs/pipelines/tracking.md, "Redshift"). Names are validated {@link SqlIdentifier}s, the IAM
 * role must be an IAM role ARN, the bucket an S3 bucket name, and every literal is quoted with {@code '} and
 * {@code \} doubled, so no key can end the literal.
 */
public final class RedshiftCopy {
    /** {@code arn:<partition>:iam::<12-digit account>:role/<path and name>}. */
    public static final String IAM_ROLE_RULE = "arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}";
    /** S3's bucket naming rule: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric. */
    public static final String BUCKET_RULE = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";
    private static final Pattern IAM_ROLE = Pattern.compile(IAM_ROLE_RULE);
    private static final Pattern BUCKET = Pattern.compile(BUCKET_RULE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SqlIdentifier table;
    private final String iamRole;

    /**
     * @param table   the table COPY loads (a staging table, see above)
     * @param iamRole the ARN of the role Redshift assumes to read the bucket
     */
    public RedshiftCopy(SqlIdentifier table, String iamRole) {
        this.table = Objects.requireNonNull(table, "table");
        Objects.requireNonNull(iamRole, "iamRole");
        if (!IAM_ROLE.matcher(iamRole).matches()) {
            throw new IllegalArgumentException("iamRole is not an IAM role ARN: it must match " + IAM_ROLE_RULE);
        }
        this.iamRole = iamRole;
    }

    /**
     * The manifest of {@code keys} in {@code bucket}: {@code {"entries":[{"url":"s3://bucket/key","mandatory":true},…]}}.
     * Mandatory: a file missing at COPY time fails the load instead of being skipped silently.
     */
    public String manifest(String bucket, List<String> keys) {
        checkBucket(bucket);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a manifest needs at least one file");
        }
        ObjectNode manifest = JSON.createObjectNode();
        ArrayNode entries = manifest.putArray("entries");
        for (String key : keys) {
            Objects.requireNonNull(key, "key");
            entries.addObject().put("url", "s3://" + bucket + "/" + key).put("mandatory", true);
        }
        return JSON.writeValueAsString(manifest);
    }

    /** The COPY of the manifest stored at {@code s3://bucket/manifestKey}. */
    public String copy(String bucket, String manifestKey) {
        checkBucket(bucket);
        Objects.requireNonNull(manifestKey, "manifestKey");
        return "COPY " + table.sql() + " FROM " + literal("s3://" + bucket + "/" + manifestKey)
                + " IAM_ROLE " + literal(iamRole) + " FORMAT JSON 'auto' GZIP TIMEFORMAT 'auto' MANIFEST";
    }

    /** A Redshift string literal: quotes doubled, and backslashes too (Redshift reads them as escapes). */
    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static void checkBucket(String bucket) {
        Objects.requireNonNull(bucket, "bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket name '" + bucket + "' is not valid: it must match "
                    + BUCKET_RULE);
        }
    }
}
