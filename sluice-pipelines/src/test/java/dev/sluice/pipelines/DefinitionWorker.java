package dev.sluice.pipelines;

import dev.sluice.core.pipeline.AssembledPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * A separate JVM running one pipeline from its definition, for crash tests to SIGKILL: what {@code sluice run
 * --config FILE NAME} does, without the API. Arguments: the YAML files merged over the shipped definitions, in order
 * (a user's file, then a test's overrides), and last the pipeline's name. The environment gives the rest (the
 * keyset). SIGTERM stops it gracefully.
 */
public final class DefinitionWorker {
    public static void main(String[] args) throws Exception {
        String[] yamls = new String[args.length - 1];
        for (int i = 0; i < yamls.length; i++) {
            yamls[i] = Files.readString(Path.of(args[i]));
        }
        DefinedPipelines defined = DefinedPipelines.of(System.getenv(), yamls);
        AssembledPipeline pipeline = defined.start(args[args.length - 1], UnaryOperator.identity());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            defined.close();
            stopped.countDown();
        }));
        System.out.println("worker started");
        stopped.await();
    }

    /**
     * Starts a worker JVM on the test class path running {@code pipeline} from {@code files} with {@code environment}
     * added to its own; its output is appended to {@code worker.log} in {@code logs}.
     */
    public static Process start(Path logs, Map<String, String> environment, String pipeline, Path... files)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), DefinitionWorker.class.getName()));
        for (Path file : files) {
            command.add(file.toString());
        }
        command.add(pipeline);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("worker.log").toFile()));
        return pb.start();
    }
}
