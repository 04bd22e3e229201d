package dev.sluice.aws.s3;

import dev.sluice.aws.sqs.SqsSourcePlugin;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.SourcePart;
import java.util.List;
import java.util.Map;

/**
 * The {@code s3_notifications} source: an SQS queue that S3 notifies of created objects, directly or in an SNS
 * envelope. Its decoder turns each message into an event whose record holds one field, {@value #OBJECTS}: the
 * {@code List<S3ObjectRef>} of wanted objects the notification names, keys decoded, in message order. A
 * notification whose objects the filter leaves out, or a test event, is a drop (acknowledged, nothing written); one
 * that is not a readable S3 notification is a reject with its reason. The message's natural key stays the SQS
 * message id; each object's own is {@link S3ObjectRef#coordinates()}.
 *
 * <pre>{@code
 * source: {type: s3_notifications, queue: playtime-notifications, keyPrefix: datasets/, buckets: [playtime-datasets]}
 * }</pre>
 */
public final class S3NotificationsPlugin {

    /** The record field that holds the {@code List<S3ObjectRef>}. */
    public static final String OBJECTS = "objects";

    public static final Plugin<S3NotificationsSettings, SourcePart> PLUGIN = Plugin.source("s3_notifications",
            S3NotificationsSettings.class, "reads S3 object-created notifications from an SQS queue: one event per"
                    + " notification, its objects in the field " + OBJECTS,
            (settings, context) -> new SourcePart(SqsSourcePlugin.connect(settings.source(), context),
                    settings.decoders()));

    private S3NotificationsPlugin() {
    }

    /**
     * The notification's wanted objects as the event's record. The fields after it stay unknown: the list is no
     * schema type, and the sink that reads it checks it.
     */
    record Decoder(S3NotificationStage notifications) implements Processor {
        @Override
        public Outcome<Event> apply(Event event) {
            return notifications.then((List<S3ObjectRef> objects) ->
                    Outcome.emit(event.with(new FlatRecord(Map.of(OBJECTS, objects))))).apply(event.message());
        }
    }
}
