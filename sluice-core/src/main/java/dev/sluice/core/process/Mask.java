package dev.sluice.core.process;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.json.JsonKinds;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code mask}: replaces string fields with keyed deterministic tokens ({@link PiiMasker}): {@code hmac} one-way,
 * {@code siv} recoverable with the keyset ({@code sluice unmask}). Tokens are made with the keyset's primary key
 * (the top-level {@code keys:} section, else the environment); equal values give equal tokens, so duplicates can
 * still be counted and joined. A null stays null, an absent field stays absent. A value too long for an
 * {@code siv} token is rejected naming the field.
 */
public final class Mask implements Processor {

    /** {@code hm1.<8 hex>.<43 base64url>}, whatever the value's length. */
    static final int HMAC_TOKEN_CHARS = 56;

    /**
     * @param fields the field → mode ({@code hmac} or {@code siv}) of every field to mask; at least one; each must
     *               be a string field when the fields are known
     */
    public record Settings(Map<String, MaskMode> fields) {
        public Settings {
            if (fields == null || fields.isEmpty()) {
                throw new IllegalArgumentException("fields must name at least one field and its mode, like"
                        + " fields: {email: siv, card_number: hmac}");
            }
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("mask", Settings.class,
            "string fields replaced by keyed tokens (hmac one-way, siv recoverable)", (settings, context) -> {
                settings.fields().keySet().forEach(field -> context.fields().require("fields." + field, field,
                        FieldType.STRING, "masking it"));
                return new Mask(settings, context.shared(KeysSettings.KEYSET));
            });

    /** One field to mask and the masker of its mode, paired once at assembly. */
    private record Masked(String name, PiiMasker masker) {
    }

    private final Map<String, MaskMode> fields;
    private final List<Masked> masked = new ArrayList<>();

    Mask(Settings settings, Keyset keyset) {
        this.fields = settings.fields();
        Map<MaskMode, PiiMasker> maskers = new EnumMap<>(MaskMode.class);
        fields.forEach((name, mode) -> masked.add(new Masked(name,
                maskers.computeIfAbsent(mode, m -> new PiiMasker(keyset, m)))));
    }

    @Override
    public Outcome<Event> apply(Event event) {
        FlatRecord record = event.record();
        FlatRecord.Builder tokens = null;
        for (Masked field : masked) {
            String name = field.name();
            Object value = record.values().get(name);
            if (value instanceof JsonNode node && node.isString()) {
                value = node.stringValue();
            }
            if (value == null || value instanceof JsonNode node && node.isNull()) {
                continue;
            }
            if (!(value instanceof String text)) {
                return Outcome.reject(name + ": expected a string to mask, got " + (value instanceof JsonNode node
                        ? JsonKinds.describe(node) : "a " + value.getClass().getSimpleName()));
            }
            try {
                String token = field.masker().mask(text);
                tokens = tokens == null ? record.toBuilder() : tokens;
                tokens.set(name, token);
            } catch (IllegalArgumentException tooLong) {
                return Outcome.reject(name + ": " + tooLong.getMessage());
            }
        }
        return Outcome.emit(tokens == null ? event : event.with(tokens.build()));
    }

    /** A masked field holds a token: a string no longer than its mode's tokens, without the value's format. */
    @Override
    public Fields fieldsAfter(Fields before) {
        Fields after = before;
        for (Map.Entry<String, MaskMode> field : fields.entrySet()) {
            FieldSpec was = before.field(field.getKey()).orElse(null);
            if (was != null) {
                int longest = field.getValue() == MaskMode.HMAC ? HMAC_TOKEN_CHARS : PiiMasker.MAX_TOKEN_CHARS;
                after = after.with(new FieldSpec(was.name(), FieldType.STRING, was.required(), was.nullAllowed(),
                        longest, null));
            }
        }
        return after;
    }
}
