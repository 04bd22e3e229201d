package dev.sluice.core.files;

import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.JsonObjectParser;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.process.JsonValues;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gzip NDJSON: one JSON object per event and line. Two formats, as two named services: {@code ndjson_gzip} writes
 * the event's record (its fields after the processors; times as ISO text), {@code raw_ndjson_gzip} the message body
 * as it was sent, when it has no line break, else the body's JSON object written again compactly. The raw form is
 * what the tracking archive writes, byte for byte (read with the same {@link JsonObjectParser}); a raw body with a
 * line break that is not a JSON object cannot be one line, and is refused (a reject).
 */
public final class NdjsonGzip implements FileFormat {
    private static final Logger log = LoggerFactory.getLogger(NdjsonGzip.class);
    private static final JsonMapper COMPACT = JsonMapper.builder().build();
    /** The tracking archive's reading of a body, so that its compacted lines come out the same, byte for byte. */
    private static final JsonObjectParser BODIES = new JsonObjectParser(Integer.MAX_VALUE);
    private static final int BUFFER = 65_536;

    /** What each line holds. */
    public enum Content {
        /** The record's fields. */
        RECORD,
        /** The message body as sent (compacted when it spans lines). */
        BODY
    }

    private final Content content;

    public NdjsonGzip(Content content) {
        this.content = content;
    }

    @Override
    public String extension() {
        return ".json.gz";
    }

    @Override
    public String contentType() {
        return "application/gzip";
    }

    @Override
    public void check(Event event) throws DestinationRejectedException {
        if (content == Content.BODY && spansLines(event.message().body())
                && BODIES.apply(event.message().body()) instanceof Outcome.Reject<ObjectNode> reject) {
            throw new DestinationRejectedException("raw_ndjson_gzip: a body that spans lines must be a JSON object to"
                    + " be written again as one line; " + reject.reason());
        }
    }

    @Override
    public Writer open(Path file) throws IOException {
        OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER), BUFFER);
        return new Writer() {
            private long bytes;

            @Override
            public void append(Event event) throws IOException {
                byte[] line = (line(event) + "\n").getBytes(StandardCharsets.UTF_8);
                out.write(line);
                bytes += line.length;
            }

            @Override
            public long bytes() {
                return bytes;
            }

            @Override
            public void close() throws IOException {
                out.close();
            }

            @Override
            public void discard() {
                try {
                    out.close();
                } catch (IOException e) {
                    log.debug("closing a discarded file failed too: {}", e.toString());
                }
            }
        };
    }

    private String line(Event event) {
        if (content == Content.BODY) {
            String body = event.message().body();
            // check() accepted it first, so the parser emits the object.
            return spansLines(body) ? COMPACT.writeValueAsString(((Outcome.Emit<ObjectNode>) BODIES.apply(body))
                    .value()) : body;
        }
        ObjectNode object = COMPACT.createObjectNode();
        event.record().values().forEach((name, value) -> object.set(name, JsonValues.toJson(value)));
        return COMPACT.writeValueAsString(object);
    }

    private static boolean spansLines(String body) {
        return body.indexOf('\n') >= 0 || body.indexOf('\r') >= 0;
    }
}
