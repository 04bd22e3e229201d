package dev.sluice.core.files;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.SourceCoordinates;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Names a file by the source position of its first message, so that a replay of the same messages in the same
 * order rewrites the same objects instead of adding new ones (the files of Kafka Connect's S3 sink are named so):
 * <ul>
 * <li>a stream record: {@code <shard>-<sequence number>}. A stream replays from its checkpoint in order, so a file
 *     that starts at the same record holds it and what follows it in that partition; an age roll that cut the file
 *     earlier this time leaves the rest to the next file, and nothing that was stored is lost by the overwrite.</li>
 * <li>a queue message: {@code <message id>-<receive count>}. SQS cannot promise the same names: it redelivers a
 *     message on its own, in another order and with other neighbours, so a file named by the message id alone could
 *     overwrite a stored file whose other messages were acknowledged already, and lose them. With the receive count
 *     every delivery names its own file: a redelivery (a crash between the put and the acknowledgement) adds a
 *     second object holding those events again, which {@code dedupe} or the reader skips by natural key.</li>
 * <li>an object: {@code <bucket>/<key>@<etag>}, encoded.</li>
 * </ul>
 * Every character but letters, digits and {@code . _ -} is %-encoded (UTF-8), so distinct positions never share a
 * name. Positions are PII-free, as every {@link SourceCoordinates} is.
 *
 * <p>{@link #OPENED_AT} names a file by the UTC time it was opened instead, in a folder of that day, as a reader
 * that lists keys from a time on expects ({@code warehouse_load}'s {@code relistWindow}).
 */
@FunctionalInterface
public interface FileNamer {

    /** The naming above. */
    FileNamer SOURCE_POSITION = (first, openedAt) -> switch (first.coordinates()) {
        case SourceCoordinates.Stream stream -> encode(stream.shardId()) + "-" + encode(stream.sequenceNumber());
        case SourceCoordinates.Queue queue -> encode(queue.messageId()) + "-" + queue.receiveCount();
        case SourceCoordinates.StoredObject object -> encode(object.naturalKey());
    };

    /**
     * {@code dt=YYYY-MM-DD/HHMMSS-<random UUID>}: the UTC day and time the file was opened, so keys sort by time; the
     * UUID keeps files opened in the same second (by other processes too) apart. A redelivery gets a new name.
     */
    FileNamer OPENED_AT = (first, openedAt) -> OpenedAt.DAY.format(openedAt) + "/" + OpenedAt.TIME.format(openedAt)
            + "-" + UUID.randomUUID();

    /**
     * The file's name, without extension, from the first message it holds and the time it was opened; no folders
     * but the day folder of {@link #OPENED_AT}.
     */
    String name(Message first, Instant openedAt);

    /** {@code text} with every byte but ASCII letters, digits and {@code . _ -} as {@code %XX}; "." and ".." too. */
    static String encode(String text) {
        if (text.equals(".") || text.equals("..")) {
            return text.replace(".", "%2E");
        }
        StringBuilder encoded = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    /** The formats of {@link #OPENED_AT}. */
    final class OpenedAt {
        static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd").withZone(ZoneOffset.UTC);
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

        private OpenedAt() {
        }
    }
}
