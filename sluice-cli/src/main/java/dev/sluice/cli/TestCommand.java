package dev.sluice.cli;

import dev.sluice.cli.pipelinetest.PipelineTests;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice test [FILES…]}: runs pipeline tests ({@code *.test.yaml}) with no server; exit 0 when every case
 * passes, 1 when one fails or a test file cannot run, 2 on a usage error (a path that is not there, no test files).
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run pipeline tests (*.test.yaml): sample inputs through a definition's processors, checked"
                + " against the records its sink would get, its drops and its rejects. No server is reached.",
                "Without FILES: every *.test.yaml under the current directory. Guide: docs/testing-pipelines.md"})
final class TestCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "FILES", description = "test files, or directories to search for"
            + " *.test.yaml (default: the current directory)")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Path> paths = files == null || files.isEmpty() ? List.of(Path.of("")) : files;
        List<Path> found;
        try {
            found = PipelineTests.find(paths);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("sluice test: " + e.getMessage());
            return 2;
        }
        if (found.isEmpty()) {
            spec.commandLine().getErr().println("sluice test: no *.test.yaml files under "
                    + (files == null || files.isEmpty() ? "the current directory" : String.join(", ",
                    paths.stream().map(Path::toString).toList())));
            return 2;
        }
        PipelineTests.Summary summary = new PipelineTests(spec.commandLine().getOut()).run(found);
        return summary.failed() == 0 ? 0 : 1;
    }
}
