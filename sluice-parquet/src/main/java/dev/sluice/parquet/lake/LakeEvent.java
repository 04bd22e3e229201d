package dev.sluice.parquet.lake;

import java.util.Objects;

/**
 * One event of the lake, enriched and ready to write: the typed columns of its Parquet file and the rest of what
 * the producer sent, kept as JSON text (see docs/pipelines/lake.md).
 *
 * <pre>{@code
 * LakeEvent e = new LakeEvent("3f1c…", "payment:order:completed", "payment", "order", 1700000000.5,
 *         "2023-11-14T22:13:20.5Z", "{\"amount\":12.50}");
 * e.partition().path();   // "year=2023/month=11/day=14/event_type=payment/"
 * }</pre>
 *
 * @param eventUuid       the producer's event id, non-empty
 * @param eventName       {@code type:subtype[:more]} as sent
 * @param eventType       the name's first part; a safe path segment, since it names a partition directory
 * @param eventSubtype    the name's second part, or {@code null} for a single-part name
 * @param createdAt       the event time in Unix seconds as sent (as a double)
 * @param createdDatetime the same instant as ISO 8601 UTC ({@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}) with the
 *                        fraction exactly as sent; its date is the event's partition day
 * @param payload         a JSON object of every other field the producer sent, JSON-equal to what was sent (numbers
 *                        keep their digits; notation and escapes may be written differently)
 */
public record LakeEvent(String eventUuid, String eventName, String eventType, String eventSubtype,
                        double createdAt, String createdDatetime, String payload) {

    /** {@code yyyy-MM-ddTHH:mm:ss}: a digit where 'd' is, else that very character. */
    private static final String DATETIME_SHAPE = "dddd-dd-ddTdd:dd:dd";

    public LakeEvent {
        Objects.requireNonNull(eventUuid, "eventUuid");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(payload, "payload");
        if (!LakePartition.isSafeEventType(eventType)) {
            throw new IllegalArgumentException("eventType must be " + LakePartition.EVENT_TYPE_RULE);
        }
        if (!isUtcDatetime(createdDatetime)) {
            throw new IllegalArgumentException("createdDatetime must be yyyy-MM-ddTHH:mm:ss[.fraction]Z");
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, checked by hand rather than by a regex: this runs for every event. */
    private static boolean isUtcDatetime(String text) {
        int shape = DATETIME_SHAPE.length();
        if (text == null || text.length() < shape + 1 || text.charAt(text.length() - 1) != 'Z'
                || text.length() == shape + 2) {
            return false;
        }
        for (int i = 0; i < shape; i++) {
            char expected = DATETIME_SHAPE.charAt(i);
            char c = text.charAt(i);
            if (expected == 'd' ? c < '0' || c > '9' : c != expected) {
                return false;
            }
        }
        if (text.length() > shape + 1 && text.charAt(shape) != '.') {
            return false;
        }
        for (int i = shape + 1; i < text.length() - 1; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Where the event lands: the UTC day of its event time and its type. */
    public LakePartition partition() {
        return new LakePartition(Integer.parseInt(createdDatetime, 0, 4, 10),
                Integer.parseInt(createdDatetime, 5, 7, 10), Integer.parseInt(createdDatetime, 8, 10, 10), eventType);
    }
}
