package dev.sluice.pipelines.logins;

import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.postgres.RowMapper;
import dev.sluice.postgres.TableSpec;

import java.util.List;

/** How a {@link Login} lands in {@code user_logins}: the SQS message id is the natural key. */
final class LoginRows implements RowMapper<Login> {
    static final String CONFLICT_COLUMN = "source_message_id";

    static TableSpec table(String name) {
        return new TableSpec(name, List.of("user_id", "device_type", "masked_ip", "masked_device_id", "locale",
                "app_version", "create_date", "app_version_text", CONFLICT_COLUMN), CONFLICT_COLUMN);
    }

    @Override
    public Object[] toRow(Delivery<Login> delivery) {
        Login l = delivery.value();
        String messageId = ((SourceCoordinates.Queue) delivery.source().coordinates()).messageId();
        return new Object[]{l.userId(), l.deviceType(), l.maskedIp(), l.maskedDeviceId(), l.locale(),
                l.appVersion(), l.createDate(), l.appVersionText(), messageId};
    }
}
