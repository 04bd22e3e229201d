package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.plugin.ReadinessProbe;
import dev.sluice.core.plugin.Resources;
import dev.sluice.pipelines.SluiceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import dev.sluice.postgres.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice check [PIPELINE…]}: validates the configuration, then reaches every endpoint it names (of the named
 * pipelines only, when some are named), one line each, so a deployment problem shows before {@code run}. The
 * offline check, with every error at once, is {@code sluice lint}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the configuration and connect to each endpoint, one line each (of the PIPELINEs"
                + " named, else of all); sluice lint checks files offline.")
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml (default: built-in, from the environment)")
    Path config;

    @Parameters(paramLabel = "PIPELINE", arity = "0..*", description = "check only these pipelines (default: all)")
    List<String> names = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private int failures;

    @Override
    public Integer call() {
        ConfigSource.Loaded all = ConfigSource.read(config, System.getenv());
        for (String name : names) {
            if (!all.known().contains(name)) {
                throw new IllegalArgumentException("unknown pipeline '" + name + "' (known: "
                        + String.join(", ", all.known()) + ")");
            }
        }
        List<String> checked = names.isEmpty() ? all.known() : names;
        SluiceConfig loaded = all.wired();
        report(true, "config", config != null ? config.toString() : "built-in " + ConfigSource.BUILT_IN);
        check("keys", () -> {
            Keyset keys = loaded.keys().load(System.getenv());
            return loaded.keys().describe() + " (" + keys.keys().size() + " keys, primary " + keys.primaryId() + ")";
        });
        if (loaded.postgres() != null) {
            check("postgres", () -> {
                try (PostgresDatabase db = new PostgresDatabase(loaded.postgres())) {
                    db.checkConnection();
                }
                return loaded.postgres().redactedUrl() + " reachable";
            });
        }
        for (String name : all.definitions().names()) {
            if (!checked.contains(name)) {
                continue;
            }
            check("pipeline", () -> {
                try {
                    return checkDefinition(all, name);
                } catch (Exception e) {
                    // A message that names no pipeline (a migration's) gets its name: one line per definition.
                    String message = String.valueOf(e.getMessage());
                    throw message.contains(name) ? e : new IllegalStateException(name + ": " + message, e);
                }
            });
        }
        return failures == 0 ? 0 : 1;
    }

    /**
     * Builds a defined pipeline as {@code run} would, without starting it, then runs every readiness probe its parts
     * registered (its queue or stream, its database). Building creates the tables a first run would create.
     */
    private static String checkDefinition(ConfigSource.Loaded all, String name) throws Exception {
        try (Resources resources = new Resources(all.catalog(), all.definitions().root(), System.getenv(),
                new SimpleMeterRegistry(), Clock.systemUTC());
             AssembledPipeline pipeline = new PipelineAssembler(all.catalog(), resources)
                     .assemble(name, all.definitions().definition(name))) {
            for (Map.Entry<String, ReadinessProbe> probe : resources.probes().entrySet()) {
                try {
                    probe.getValue().check();
                } catch (Exception e) {
                    throw new IllegalStateException(name + ": " + probe.getKey() + " not ready ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + ")", e);
                }
            }
            return name + " built; " + String.join(", ", resources.probes().keySet()) + " ready"
                    + (pipeline.jobs().isEmpty() ? "" : "; " + pipeline.jobs().size() + " jobs");
        }
    }

    private interface Probe {
        String run() throws Exception;
    }

    private void check(String what, Probe probe) {
        try {
            report(true, what, probe.run());
        } catch (Exception e) {
            report(false, what, e.getMessage());
        }
    }

    private void report(boolean ok, String what, String detail) {
        if (!ok) {
            failures++;
        }
        // One line per check: a message's further lines (Flyway's SQL state and error code) stay out.
        String line = detail == null ? "" : detail.lines().findFirst().orElse("");
        spec.commandLine().getOut().printf("%-5s %-9s %s%n", ok ? "ok" : "FAIL", what, line);
    }
}
