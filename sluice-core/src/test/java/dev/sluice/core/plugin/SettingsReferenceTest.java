package dev.sluice.core.plugin;

import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsReferenceTest {

    record Roll(Integer maxEvents, Duration maxAge) {
    }

    record Settings(String name, Roll roll, Integer size) {
    }

    private static final Plugin<Settings, dev.sluice.core.pipeline.Processor> EXAMPLE = Plugin.processor(
            "reference_example", Settings.class, "an example", (settings, context) -> event -> null);

    @Test
    void aReferenceNamesWhatTheRecordReadsAndNothingElse() {
        SettingsReference reference = SettingsReference.of(EXAMPLE);

        assertThat(reference.settings()).extracting(SettingsReference.Setting::key)
                .containsExactly("name", "roll.maxEvents", "colour");
        assertThat(reference.problems()).containsExactlyInAnyOrder(
                "sluice/plugins/processor/reference_example.yaml: documents colour, which "
                        + Settings.class.getName() + " does not read",
                "sluice/plugins/processor/reference_example.yaml: setting size of " + Settings.class.getName()
                        + " is not documented",
                "sluice/plugins/processor/reference_example.yaml: setting roll.maxAge of " + Settings.class.getName()
                        + " is not documented");
    }

    @Test
    void aPluginWithoutAReferenceIsAProblem() {
        Plugin<Settings, dev.sluice.core.pipeline.Processor> undocumented = Plugin.processor("undocumented_example",
                Settings.class, "no reference", (settings, context) -> event -> null);

        assertThat(SettingsReference.of(undocumented).problems()).containsExactly(
                "sluice/plugins/processor/undocumented_example.yaml is missing: every plugin documents its settings"
                        + " there");
    }

    @Test
    void theTableIsMarkdownAndTheTextIsPlain() {
        SettingsReference reference = SettingsReference.of(EXAMPLE);

        assertThat(reference.markdownTable()).startsWith("| key | type | default | rule |\n|---|---|---|---|\n")
                .contains("| `roll.maxEvents` | integer | `10` | at least 1 |\n");
        assertThat(reference.text()).contains("  roll.maxEvents (integer; default 10)\n      at least 1\n");
    }
}
