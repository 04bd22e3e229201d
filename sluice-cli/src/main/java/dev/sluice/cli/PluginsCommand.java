package dev.sluice.cli;

import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginKind;
import dev.sluice.core.plugin.SettingsReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sluice plugins [KIND | NAME]}: the catalog, or one plugin's settings with their types, defaults and rules,
 * from the reference the docs/plugins pages are made of ({@link SettingsReference}).
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List the plugins (kind, type, what it does), or show one plugin's settings.",
                "KIND: source, processor, sink, errors, job or routes. NAME: a plugin's type, e.g. mask."})
final class PluginsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "KIND|NAME", arity = "0..1", description = "a kind to list, or a plugin to show")
    String what;

    @Option(names = "--markdown", description = "print a plugin's settings as the table of its docs/plugins page")
    boolean markdown;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Catalog catalog = Catalog.load();
        PrintWriter out = spec.commandLine().getOut();
        List<Plugin<?, ?>> all = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            all.addAll(catalog.plugins(kind));
        }
        PluginKind kind = what == null ? null : kind(what);
        if (what == null || kind != null) {
            for (Plugin<?, ?> plugin : all) {
                if (kind == null || plugin.kind() == kind) {
                    out.printf("%-10s %-17s %s%n", name(plugin.kind()), plugin.type(), plugin.description());
                }
            }
            return 0;
        }
        List<Plugin<?, ?>> named = all.stream().filter(p -> p.type().equals(what)).toList();
        if (named.isEmpty()) {
            spec.commandLine().getErr().println("sluice: plugins: no kind or plugin named '" + what + "' (kinds: "
                    + String.join(", ", Arrays.stream(PluginKind.values()).map(PluginsCommand::name).toList())
                    + "; plugins: " + String.join(", ", all.stream().map(Plugin::type).distinct().sorted().toList())
                    + ")");
            return 2;
        }
        for (Plugin<?, ?> plugin : named) {
            SettingsReference reference = SettingsReference.of(plugin);
            if (markdown) {
                out.print(reference.markdownTable());
                continue;
            }
            out.println(plugin.type() + " (" + plugin.kind().description() + ", under " + plugin.kind().key()
                    + "): " + plugin.description());
            out.println(reference.settings().isEmpty() ? "  no settings" : "settings:");
            out.print(reference.text());
            out.println("  docs: docs/plugins/" + plugin.type() + ".md");
        }
        return 0;
    }

    /** As written on the command line: {@code errors} for the error sink. */
    static String name(PluginKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static PluginKind kind(String text) {
        for (PluginKind kind : PluginKind.values()) {
            if (name(kind).equals(text) || (name(kind) + "s").equals(text)) {
                return kind;
            }
        }
        return null;
    }
}
