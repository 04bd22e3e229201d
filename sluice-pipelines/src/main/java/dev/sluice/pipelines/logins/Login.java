package dev.sluice.pipelines.logins;

import java.time.LocalDate;

/**
 * A login ready for {@code user_logins}: PII replaced by tokens, the version encoded. {@code toString()} is the
 * record default and safe: every field is either masked or not personal ({@code user_id} is a pseudonymous id the
 * challenge stores in clear).
 *
 * @param appVersion     order-preserving encoding of {@code appVersionText} ({@link dev.sluice.core.json.VersionNumber})
 * @param createDate     the UTC date the login was processed
 */
public record Login(
        String userId,
        String deviceType,
        String maskedIp,
        String maskedDeviceId,
        String locale,
        int appVersion,
        String appVersionText,
        LocalDate createDate) {
}
