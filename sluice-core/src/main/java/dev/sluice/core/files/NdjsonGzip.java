package dev.sluice.core.files;

import dev.sluice.core.engine.DestinationRejectedException;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gzip NDJSON: one JSON object per event and line. Two formats, as two named services: {@code ndjson_gzip} writes
 * the event's record (its fields after the processors; times as ISO text), {@code raw_ndjson_gzip} the message body
 * as it was sent, when it has no line break, else the body's JSON written again compactly. The raw form is what the
 * tracking archive writes, byte for byte; a raw body with a line break that is not JSON cannot be one line, and is
 * refused (a reject).
 */
public final class NdjsonGzip implements FileFormat {
    private static final Logger log = LoggerFactory.getLogger(NdjsonGzip.class);
    private static final JsonMapper COMPACT = JsonMapper.builder().build();
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
        if (content == Content.BODY && spansLines(event.message().body())) {
            try {
                COMPACT.readTree(event.message().body());
            } catch (JacksonException e) {
                throw new DestinationRejectedException("raw_ndjson_gzip: the body spans lines and is not JSON, so it"
                        + " cannot be one line of the file");
            }
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
            return spansLines(body) ? COMPACT.writeValueAsString(COMPACT.readTree(body)) : body;
        }
        ObjectNode object = COMPACT.createObjectNode();
        event.record().values().forEach((name, value) -> object.set(name, JsonValues.toJson(value)));
        return COMPACT.writeValueAsString(object);
    }

    private static boolean spansLines(String body) {
        return body.indexOf('\n') >= 0 || body.indexOf('\r') >= 0;
    }
}
