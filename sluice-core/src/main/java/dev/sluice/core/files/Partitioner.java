package dev.sluice.core.files;

import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Where in the store an event's file goes, from a template of its fields: {@code dt={created_date}/type={type}}
 * gives {@code dt=2026-12-07/type=click}. Each value is written as text (times and dates ISO, numbers plain) with
 * every character but letters, digits, {@code . _ -} %-encoded, so a value can never add a folder level. A field
 * that is absent, null or empty goes to the {@code missing} placeholder instead of being rejected: a file store
 * archives what came, and the placeholder folder shows what lacked the field. An empty template puts every file in
 * one folder.
 *
 * <p>Partition values are event data: choose fields that hold no personal data (the sink never logs them).
 */
public final class Partitioner {
    private static final Pattern FIELD = Pattern.compile("\\{([^{}/]*)}");

    private final List<String> literals;
    private final List<String> fields;
    private final String missing;

    private Partitioner(List<String> literals, List<String> fields, String missing) {
        this.literals = literals;
        this.fields = fields;
        this.missing = missing;
    }

    /**
     * @param template folders with {@code {field}} references; empty for none
     * @param missing  the folder value of an absent, null or empty field
     * @throws IllegalArgumentException starting with {@code partition} or {@code partitionMissing}
     */
    public static Partitioner of(String template, String missing) {
        if (template.startsWith("/") || template.endsWith("/") || template.contains("//")) {
            throw new IllegalArgumentException("partition must be folders separated by single '/', neither starting "
                    + "nor ending with one, like dt={created_date}/type={type}; was '" + template + "'");
        }
        if (missing.isEmpty() || !FileNamer.encode(missing).equals(missing)) {
            throw new IllegalArgumentException("partitionMissing must be letters, digits, '.', '_' or '-', was '"
                    + missing + "'");
        }
        List<String> literals = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        Matcher matcher = FIELD.matcher(template);
        int at = 0;
        while (matcher.find()) {
            if (matcher.group(1).isBlank()) {
                throw new IllegalArgumentException("partition: '{}' names no field, in '" + template + "'");
            }
            literals.add(literal(template.substring(at, matcher.start()), template));
            fields.add(matcher.group(1));
            at = matcher.end();
        }
        literals.add(literal(template.substring(at), template));
        return new Partitioner(List.copyOf(literals), List.copyOf(fields), missing);
    }

    private static String literal(String text, String template) {
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
            throw new IllegalArgumentException("partition: a '{' or '}' that is not part of a {field} reference, in '"
                    + template + "'");
        }
        return text;
    }

    /** The fields the template uses, in order. */
    public List<String> fields() {
        return fields;
    }

    /** Checks that every field of the template reaches the sink, when the fields are known. */
    public void check(Fields reaching) {
        fields.forEach(field -> reaching.require("partition", field, "the partition template uses it"));
    }

    /** The folders of {@code event}'s file, without a leading or trailing '/'; empty for no template. */
    public String path(Event event) {
        StringBuilder path = new StringBuilder(literals.getFirst());
        for (int i = 0; i < fields.size(); i++) {
            path.append(value(event, fields.get(i))).append(literals.get(i + 1));
        }
        return path.toString();
    }

    private String value(Event event, String field) {
        Object value = event.record().values().get(field);
        String text = switch (value) {
            case null -> "";
            case JsonNode node when node.isString() -> node.stringValue();
            case JsonNode node when node.isNull() -> "";
            case BigDecimal number -> number.toPlainString();
            default -> value.toString();
        };
        return text.isEmpty() ? missing : FileNamer.encode(text);
    }
}
