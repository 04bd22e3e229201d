package dev.sluice.cli;

import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginKind;
import dev.sluice.core.plugin.SettingsReference;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every plugin of the catalog has a reference page, docs/plugins/TYPE.md, whose Settings table is the one its
 * reference makes ({@code sluice plugins TYPE --markdown}), and that reference documents exactly the settings its
 * record reads: so the pages, {@code sluice plugins} and {@code sluice schema} cannot drift from the code.
 * Run with {@code -Dsluice.docs.update=true} to write the generated tables into the pages (prose is kept).
 */
class PluginReferenceTest {

    private static final Path PAGES = Path.of(System.getProperty("sluice.root", ".."), "docs", "plugins");

    private static List<Plugin<?, ?>> plugins() {
        Catalog catalog = Catalog.load();
        List<Plugin<?, ?>> all = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            all.addAll(catalog.plugins(kind));
        }
        return all;
    }

    static Pattern table(Plugin<?, ?> plugin) {
        return Pattern.compile("(<!-- settings of " + PluginsCommand.name(plugin.kind()) + " " + plugin.type()
                + ": [^\\n]*-->\\n)(.*?)(<!-- end of settings -->)", Pattern.DOTALL);
    }

    @Test
    void theCatalogHasPluginsOfEveryKind() {
        assertThat(plugins()).extracting(Plugin::kind).contains(PluginKind.values());
    }

    @TestFactory
    Stream<DynamicTest> eachReferenceDocumentsExactlyTheSettingsOfItsRecord() {
        return plugins().stream().map(plugin -> DynamicTest.dynamicTest(plugin.kind() + " " + plugin.type(),
                () -> assertThat(SettingsReference.of(plugin).problems()).isEmpty()));
    }

    @TestFactory
    Stream<DynamicTest> eachPluginHasAPageWhoseSettingsTableIsGenerated() {
        boolean update = Boolean.getBoolean("sluice.docs.update");
        return plugins().stream().map(plugin -> DynamicTest.dynamicTest(plugin.kind() + " " + plugin.type(), () -> {
            Path page = PAGES.resolve(plugin.type() + ".md");
            assertThat(page).as("every plugin has a reference page").isRegularFile();
            String text = Files.readString(page);
            Matcher found = table(plugin).matcher(text);
            assertThat(found.find()).as("%s marks its generated Settings table with <!-- settings of %s %s: … -->"
                    + " and <!-- end of settings -->", page, PluginsCommand.name(plugin.kind()), plugin.type())
                    .isTrue();
            String generated = SettingsReference.of(plugin).markdownTable();
            if (update && !found.group(2).equals(generated)) {
                write(page, text.substring(0, found.start(2)) + generated + text.substring(found.end(2)));
                return;
            }
            assertThat(found.group(2)).as("the Settings table of %s (regenerate: sluice plugins %s --markdown, or"
                    + " run this test with -Dsluice.docs.update=true)", page, plugin.type()).isEqualTo(generated);
        }));
    }

    private static void write(Path page, String text) {
        try {
            Files.writeString(page, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void pluginsListsTheCatalogAndAKindListsOnlyItsOwn() {
        Cli.Result all = Cli.run("plugins");
        Cli.Result sources = Cli.run("plugins", "source");

        assertThat(all.exitCode()).as("%s", all).isZero();
        assertThat(all.outLines()).hasSize(plugins().size())
                .anySatisfy(l -> assertThat(l).startsWith("processor").contains("mask").contains("keyed tokens"))
                .anySatisfy(l -> assertThat(l).startsWith("sink").contains("postgres_table"));
        assertThat(sources.exitCode()).isZero();
        assertThat(sources.outLines()).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("source "))
                .anySatisfy(l -> assertThat(l).contains("sqs"));
    }

    @Test
    void aPluginShowsItsSettingsWithTypesDefaultsAndRules() {
        Cli.Result result = Cli.run("plugins", "postgres_table");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.outLines().getFirst()).startsWith("postgres_table (sink, under sink): writes each event");
        assertThat(result.out()).contains("  table (text; default required)\n",
                "  key (text; default natural_key)\n", "migrations.location", "docs/plugins/postgres_table.md");
    }

    @Test
    void markdownIsTheTableOfThePage() throws IOException {
        Cli.Result result = Cli.run("plugins", "mask", "--markdown");

        Matcher page = Pattern.compile("<!-- settings of processor mask: [^\\n]*-->\\n(.*?)<!-- end of settings -->",
                Pattern.DOTALL).matcher(Files.readString(PAGES.resolve("mask.md")));
        assertThat(page.find()).isTrue();
        assertThat(result.out()).isEqualTo(page.group(1));
    }

    @Test
    void anUnknownPluginIsAUsageErrorListingWhatThereIs() {
        Cli.Result result = Cli.run("plugins", "mask2");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("sluice: plugins: no kind or plugin named 'mask2' (kinds: source, processor,")
                .contains("mask, ");
    }
}
