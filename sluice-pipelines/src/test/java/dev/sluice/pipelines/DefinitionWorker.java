package dev.sluice.pipelines;

import dev.sluice.core.pipeline.AssembledPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * A separate JVM running one pipeline from its definition, for crash tests to SIGKILL: what {@code sluice run
 * --config FILE NAME} does, without the API. Arguments: the YAML file merged over the shipped definitions, the
 * pipeline's name. The environment gives the rest (the keyset). SIGTERM stops it gracefully.
 */
public final class DefinitionWorker {
    public static void main(String[] args) throws Exception {
        DefinedPipelines defined = DefinedPipelines.of(System.getenv(), Files.readString(Path.of(args[0])));
        AssembledPipeline pipeline = defined.start(args[1], UnaryOperator.identity());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            defined.close();
            stopped.countDown();
        }));
        System.out.println("worker started");
        stopped.await();
    }
}
