package dev.sluice.core.process;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fields}: drops fields, then renames fields, all renames at once (so {@code {a: b, b: a}} swaps). A field
 * keeps its place and its type. When the fields are known (a schema came before), a drop or rename of a field that
 * does not reach this point, or a rename onto a field that stays, is refused before anything starts; when they are
 * not, a drop of an absent field does nothing and a rename onto a field the event has is a reject.
 */
public final class EditFields implements Processor {

    /**
     * @param rename old name → new name; default none
     * @param drop   the fields to remove; default none
     */
    public record Settings(Map<String, String> rename, List<String> drop) {
        public Settings {
            rename = rename == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rename));
            drop = drop == null ? List.of() : List.copyOf(drop);
            if (rename.isEmpty() && drop.isEmpty()) {
                throw new IllegalArgumentException("give rename: {old: new} or drop: [field, …] (or both)");
            }
            Set<String> targets = new HashSet<>();
            for (Map.Entry<String, String> names : rename.entrySet()) {
                if (names.getValue() == null || names.getValue().isEmpty()) {
                    throw new IllegalArgumentException("rename." + names.getKey() + ": the new name is empty");
                }
                if (!targets.add(names.getValue())) {
                    throw new IllegalArgumentException("rename." + names.getKey() + ": another field is renamed to '"
                            + names.getValue() + "' too");
                }
                if (drop.contains(names.getKey())) {
                    throw new IllegalArgumentException("rename." + names.getKey() + ": the field is dropped too");
                }
            }
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("fields", Settings.class,
            "drops and renames fields", (settings, context) -> new EditFields(settings, context.fields()));

    private final Map<String, String> rename;
    private final Set<String> drop;

    EditFields(Settings settings, Fields before) {
        this.rename = settings.rename();
        this.drop = Set.copyOf(settings.drop());
        for (int i = 0; i < settings.drop().size(); i++) {
            before.require("drop[" + i + "]", settings.drop().get(i), "dropping it");
        }
        rename.keySet().forEach(old -> before.require("rename." + old, old, "renaming it"));
        if (before.isKnown()) {
            for (Map.Entry<String, String> names : rename.entrySet()) {
                String target = names.getValue();
                if (before.field(target).isPresent() && !drop.contains(target) && !rename.containsKey(target)) {
                    throw new IllegalArgumentException("rename." + names.getKey() + ": field '" + target
                            + "' is already there (drop or rename it in this step first)");
                }
            }
        }
    }

    @Override
    public Outcome<Event> apply(Event event) {
        Map<String, Object> edited = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : event.record().values().entrySet()) {
            if (drop.contains(field.getKey())) {
                continue;
            }
            String name = rename.getOrDefault(field.getKey(), field.getKey());
            if (edited.containsKey(name) || !name.equals(field.getKey()) && isKeptUnder(name, event.record())) {
                return Outcome.reject(name + ": a renamed field would replace a field of this name");
            }
            edited.put(name, field.getValue());
        }
        return Outcome.emit(event.with(new FlatRecord(edited)));
    }

    /** Whether the record has a field {@code name} that this step keeps under its own name. */
    private boolean isKeptUnder(String name, FlatRecord record) {
        return record.has(name) && !drop.contains(name) && !rename.containsKey(name);
    }

    @Override
    public Fields fieldsAfter(Fields before) {
        if (!before.isKnown()) {
            return before;
        }
        List<FieldSpec> after = new ArrayList<>();
        for (FieldSpec field : before.all()) {
            if (!drop.contains(field.name())) {
                after.add(rename.containsKey(field.name()) ? field.named(rename.get(field.name())) : field);
            }
        }
        return Fields.of(after);
    }
}
