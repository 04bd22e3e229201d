package dev.sluice.cli.pipelinetest;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.pipeline.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs pipeline test files ({@code *.test.yaml}) and prints what a test runner prints: one line per case
 * ({@code ok   orders: a valid order is stored masked} or {@code FAIL …} with what differs, expected against actual),
 * an {@code ERROR} line for a file that cannot run (naming its file, line and key), and {@code N passed, N failed},
 * where a file that cannot run counts as one failure.
 */
public final class PipelineTests {

    /** What the tests came to. */
    public record Summary(int passed, int failed) {
        public String line() {
            return passed + " passed, " + failed + " failed";
        }
    }

    private static final String INDENT = "     ";

    private final PrintWriter out;
    private int passed;
    private int failed;

    public PipelineTests(PrintWriter out) {
        this.out = out;
    }

    /**
     * The test files at {@code paths}: a file as it is, a directory's {@code *.test.yaml} files at any depth (not
     * under hidden directories, {@code target} or {@code node_modules}), sorted by path.
     *
     * @throws IllegalArgumentException for a path that does not exist
     */
    public static List<Path> find(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isRegularFile(path)) {
                files.add(path);
            } else if (Files.isDirectory(path)) {
                files.addAll(search(path));
            } else {
                throw new IllegalArgumentException("no such file or directory: " + path);
            }
        }
        return files;
    }

    /** A directory's test files; build output and hidden folders are not entered at all (they can be large). */
    private static List<Path> search(Path root) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skipped = !dir.equals(root) && (name.startsWith(".") || name.equals("target")
                            || name.equals("node_modules"));
                    return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && file.getFileName().toString().endsWith(".test.yaml")) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        found.sort(null);
        return found;
    }

    /** Runs every file, then prints the summary line. */
    public Summary run(List<Path> files) {
        for (Path file : files) {
            runFile(file);
        }
        Summary summary = new Summary(passed, failed);
        out.println(summary.line());
        out.flush();
        return summary;
    }

    private void runFile(Path path) {
        TestFile file;
        PipelineUnderTest pipeline;
        try {
            file = TestFile.read(path);
            pipeline = PipelineUnderTest.load(file);
        } catch (ConfigException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            failed++;
            out.println("ERROR " + (e instanceof ConfigException ? "" : path + ": ") + e.getMessage());
            return;
        }
        List<ConfigNode> cases = file.cases();
        for (int i = 0; i < cases.size(); i++) {
            String title = file.pipeline() + ": " + TestCase.nameOf(cases.get(i), i);
            List<String> problems = runCase(pipeline, file, cases.get(i), i);
            if (problems.isEmpty()) {
                passed++;
                out.println("ok   " + title);
            } else {
                failed++;
                out.println("FAIL " + title);
                problems.forEach(problem -> out.println(INDENT + problem.replace("\n", "\n" + INDENT + "  ")));
            }
        }
    }

    /** What is wrong in one case, each problem a line (or a few), or nothing when it passes. */
    private static List<String> runCase(PipelineUnderTest pipeline, TestFile file, ConfigNode node, int index) {
        String inCase = TestCase.inCase(TestCase.nameOf(node, index));
        TestCase testCase;
        try {
            testCase = TestCase.read(node, index, file.processors(), file.keyset());
        } catch (ConfigException e) {
            return List.of(e.getMessage());
        }
        ConfigNode processorsNode = node.at("processors").isMissing() ? file.root().at("processors")
                : node.at("processors");
        PipelineUnderTest.Run run;
        try {
            run = pipeline.run(testCase.processors());
        } catch (ConfigException e) {
            return List.of(e.getMessage());
        } catch (IllegalArgumentException e) {
            return List.of(processorsNode.problem(inCase + e.getMessage()).getMessage());
        } catch (RuntimeException e) {
            return List.of(inCase + "the processors cannot be built (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        List<String> problems = new ArrayList<>();
        try (run) {
            Inputs inputs = pipeline.inputs();
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < testCase.inputs().size(); i++) {
                messages.add(inputs.message(testCase.inputs().get(i), i + 1, inCase));
            }
            for (Expected expected : testCase.expected()) {
                if (expected instanceof Expected.Emit emit) {
                    emit.checkAgainst(run.chain().fields(), pipeline.name(), inCase);
                }
            }
            for (int i = 0; i < messages.size(); i++) {
                Outcome<Event> outcome = run.apply(messages.get(i));
                String which = messages.size() == 1 ? "" : "input " + (i + 1) + ": ";
                if (testCase.expected().isEmpty()) {
                    problems.add(which + "no expect; this input became " + Expected.describe(outcome));
                } else {
                    testCase.expected().get(i).check(outcome).forEach(problem -> problems.add(which + problem));
                }
            }
        } catch (ConfigException e) {
            return List.of(e.getMessage());
        } catch (Exception e) {
            // A step that throws is a bug the test found, not a reject: the pipeline would retry the message.
            problems.add("the pipeline failed on this input (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); a running pipeline would retry"
                    + " the message, never store or reject it");
        }
        return problems;
    }
}
