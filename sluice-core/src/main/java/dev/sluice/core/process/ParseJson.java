package dev.sluice.core.process;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.json.JsonObjectParser;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;

/**
 * {@code parse_json}: the message body, a JSON object, becomes the record: one field per top-level member, its value
 * still a JSON value until a {@code schema} converts it. The rules are {@link JsonObjectParser}'s (size, one
 * well-formed value, no key twice, an object); a body that breaks one is rejected with the rule, never the body.
 */
public final class ParseJson implements Processor {

    /**
     * @param maxBodyBytes the largest body in UTF-8 bytes; default 262144 (the SQS limit); at least 2
     */
    public record Settings(Integer maxBodyBytes) {
        public Settings {
            maxBodyBytes = maxBodyBytes == null ? JsonObjectParser.DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
            if (maxBodyBytes < 2) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 2 (the size of {}), got "
                        + maxBodyBytes);
            }
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("parse_json", Settings.class,
            "the message body (a JSON object) as the record's fields", (settings, context) -> new ParseJson(settings));

    private final JsonObjectParser parser;

    ParseJson(Settings settings) {
        this.parser = new JsonObjectParser(settings.maxBodyBytes());
    }

    @Override
    public Outcome<Event> apply(Event event) {
        return Outcomes.map(parser.apply(event.message().body()), object -> {
            FlatRecord.Builder members = FlatRecord.builder();
            object.properties().forEach(member -> members.set(member.getKey(), member.getValue()));
            return event.with(members.build());
        });
    }

    /** The record is the body's members, whatever came before; which ones only a schema can say. */
    @Override
    public Fields fieldsAfter(Fields before) {
        return Fields.UNKNOWN;
    }
}
