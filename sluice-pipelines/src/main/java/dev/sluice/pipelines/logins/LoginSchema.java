package dev.sluice.pipelines.logins;

import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.IpAddressFormat;
import dev.sluice.core.json.RecordSchema;
import dev.sluice.core.json.VersionNumber;

/**
 * The data contract of a login event (docs/pipelines/logins.md), after nested objects are flattened. String limits
 * match the {@code user_logins} columns, so a value that passes always fits its column. Undeclared fields are
 * dropped.
 */
public final class LoginSchema {
    public static final String USER_ID = "user_id";
    public static final String APP_VERSION = "app_version";
    public static final String DEVICE_TYPE = "device_type";
    public static final String IP = "ip";
    public static final String LOCALE = "locale";
    public static final String DEVICE_ID = "device_id";

    /** {@code app_version_text varchar(32)} holds the version as sent. */
    static final int APP_VERSION_MAX_CHARS = 32;

    public static final RecordSchema SCHEMA = RecordSchema.of(
            FieldSpec.string(USER_ID).maxLength(128),
            FieldSpec.string(APP_VERSION).maxLength(APP_VERSION_MAX_CHARS).format(VersionNumber.FORMAT),
            FieldSpec.string(DEVICE_TYPE).maxLength(32),
            FieldSpec.string(IP).format(IpAddressFormat.INSTANCE),
            FieldSpec.string(LOCALE).optional().nullable().maxLength(32),
            FieldSpec.string(DEVICE_ID).maxLength(128));

    private LoginSchema() {
    }
}
