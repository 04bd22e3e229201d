package dev.sluice.pipelines.logins;

import dev.sluice.core.mask.MaskMode;

/**
 * Which masking mode each PII field uses: {@code hmac} (one-way) or {@code siv} (recoverable with the key through
 * {@code sluice unmask}). Both default to {@code hmac}, the mode that cannot be reversed even by someone holding
 * the tokens and the code.
 */
public record LoginMasking(MaskMode ip, MaskMode deviceId) {
    public static final LoginMasking DEFAULTS = new LoginMasking(null, null);

    public LoginMasking {
        ip = ip == null ? MaskMode.HMAC : ip;
        deviceId = deviceId == null ? MaskMode.HMAC : deviceId;
    }
}
