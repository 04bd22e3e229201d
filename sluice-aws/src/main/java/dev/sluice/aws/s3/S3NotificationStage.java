package dev.sluice.aws.s3;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * First stage of a pipeline fed by S3 event notifications on SQS: the created objects a message names that pass
 * the {@link S3NotificationFilter}, in message order. A message whose objects are all filtered out is a drop whose
 * reason counts them by rule; test events and messages without created objects are drops too
 * ({@link S3EventNotificationParser}); broken notifications are rejects.
 *
 * <pre>{@code
 * Stage<Message, List<S3ObjectRef>> files =
 *         new S3NotificationStage(new S3NotificationFilter("datasets/", null, Set.of("playtime-datasets")));
 * }</pre>
 */
public final class S3NotificationStage implements Stage<Message, List<S3ObjectRef>> {

    private final S3NotificationFilter filter;
    private final Stage<String, List<S3ObjectRef>> steps;

    public S3NotificationStage(S3NotificationFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.steps = new S3EventNotificationParser().then(this::keepWanted);
    }

    @Override
    public Outcome<List<S3ObjectRef>> apply(Message message) {
        return steps.apply(message.body());
    }

    private Outcome<List<S3ObjectRef>> keepWanted(List<S3ObjectRef> objects) {
        List<S3ObjectRef> wanted = objects.stream().filter(o -> filter.exclusion(o).isEmpty()).toList();
        if (!wanted.isEmpty()) {
            return Outcome.emit(wanted);
        }
        Map<String, Integer> byRule = new TreeMap<>();
        objects.forEach(o -> byRule.merge(filter.exclusion(o).orElseThrow(), 1, Integer::sum));
        StringBuilder why = new StringBuilder("all ").append(objects.size())
                .append(objects.size() == 1 ? " object" : " objects").append(" filtered out:");
        byRule.forEach((rule, count) -> why.append(' ').append(rule).append(" (").append(count).append("),"));
        why.setLength(why.length() - 1);
        return Outcome.drop(why.toString());
    }
}
