package dev.sluice.cli;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigProblems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice lint [FILES…]}: checks configuration files without reaching any endpoint, database or queue, and
 * shows every problem at once, one line each ({@code file:line:column: key.path: rule}). Each file is checked as
 * {@code run --config FILE} would use it: merged over the shipped definitions. {@code sluice check} is the online
 * check that follows.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Check configuration files offline: every error at once, as file:line: key: rule.",
                "Nothing is reached (no endpoint, database or queue); sluice check does that.",
                "Exit 0 when clean, 1 when there are errors, 2 on a usage error."})
final class LintCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILES", arity = "0..*",
            description = "sluice.yaml files, each merged over the shipped definitions (default: the built-in"
                    + " configuration, from the environment)")
    List<Path> files = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                spec.commandLine().getErr().println("sluice: lint: no such file: " + file);
                return 2;
            }
        }
        ConfigProblems problems = ConfigProblems.collecting();
        if (files.isEmpty()) {
            ConfigSource.lint(null, System.getenv(), problems);
        }
        for (Path file : files) {
            ConfigSource.lint(file, System.getenv(), problems);
        }
        List<ConfigException> found = problems.all().stream()
                .sorted(Comparator.comparing(ConfigException::source).thenComparingInt(ConfigException::line)
                        .thenComparingInt(ConfigException::column))
                .toList();
        found.forEach(problem -> out.println(problem.getMessage()));
        String what = files.isEmpty() ? "the built-in configuration" : files.size() == 1 ? files.getFirst().toString()
                : files.size() + " files";
        out.println(found.isEmpty() ? what + ": ok"
                : what + ": " + found.size() + (found.size() == 1 ? " error" : " errors"));
        return found.isEmpty() ? 0 : 1;
    }
}
