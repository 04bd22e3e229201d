package dev.sluice.pipelines.logins;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.json.VersionNumber;
import dev.sluice.core.mask.PiiMasker;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static dev.sluice.pipelines.logins.LoginSchema.APP_VERSION;
import static dev.sluice.pipelines.logins.LoginSchema.DEVICE_ID;
import static dev.sluice.pipelines.logins.LoginSchema.DEVICE_TYPE;
import static dev.sluice.pipelines.logins.LoginSchema.IP;
import static dev.sluice.pipelines.logins.LoginSchema.LOCALE;
import static dev.sluice.pipelines.logins.LoginSchema.USER_ID;

/**
 * Validated login fields → a {@link Login}: {@code ip} and {@code device_id} become tokens, {@code app_version} its
 * integer encoding, {@code create_date} today's UTC date.
 */
public final class LoginMasker implements Stage<FlatRecord, Login> {
    private final PiiMasker ipMasker;
    private final PiiMasker deviceIdMasker;
    private final Clock clock;

    public LoginMasker(PiiMasker ipMasker, PiiMasker deviceIdMasker, Clock clock) {
        this.ipMasker = ipMasker;
        this.deviceIdMasker = deviceIdMasker;
        this.clock = clock;
    }

    @Override
    public Outcome<Login> apply(FlatRecord login) {
        String maskedIp;
        String maskedDeviceId;
        try {
            maskedIp = ipMasker.mask(login.string(IP));
        } catch (IllegalArgumentException tooLong) {
            return Outcome.reject(IP + ": " + tooLong.getMessage());
        }
        try {
            maskedDeviceId = deviceIdMasker.mask(login.string(DEVICE_ID));
        } catch (IllegalArgumentException tooLong) {
            return Outcome.reject(DEVICE_ID + ": " + tooLong.getMessage());
        }
        String version = login.string(APP_VERSION);
        return Outcome.emit(new Login(
                login.string(USER_ID),
                login.string(DEVICE_TYPE),
                maskedIp,
                maskedDeviceId,
                login.has(LOCALE) ? login.string(LOCALE) : null,
                VersionNumber.parse(version).encode(),
                version,
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }
}
