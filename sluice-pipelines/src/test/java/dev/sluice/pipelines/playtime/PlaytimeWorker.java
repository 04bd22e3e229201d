package dev.sluice.pipelines.playtime;

import dev.sluice.core.engine.ForwardingSource;
import dev.sluice.core.engine.Message;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.HaltingWorker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A separate JVM running the shipped playtime definition that dies the moment it would first delete a message from
 * the queue: after the Redis script of a file ran, before SQS forgets its notification; {@code Runtime.halt} runs
 * no shutdown hook and no finally block, like SIGKILL. Argument: the YAML merged over the shipped definition.
 */
public final class PlaytimeWorker {
    /**
     * The shipped definition, read from the class path as the catalog will once the CLI runs playtime from it (until
     * then {@code PipelinesPlugins.definitions()} leaves it out, so the Java-wired playtime is the only one the CLI
     * sees).
     */
    static final String SHIPPED = shipped();

    public static void main(String[] args) throws Exception {
        DefinedPipelines defined = DefinedPipelines.of(Map.of(), SHIPPED,
                Files.readString(Path.of(args[0])));
        defined.start("playtime", source -> new ForwardingSource(source) {
            @Override
            public void acknowledge(List<Message> messages) {
                System.out.println("halting before deleting " + messages.size() + " messages");
                Runtime.getRuntime().halt(HaltingWorker.HALT_STATUS);
            }
        });
        System.out.println("worker started");
        new CountDownLatch(1).await(); // runs until halted
    }

    private static String shipped() {
        try (var in = PlaytimeWorker.class.getResourceAsStream("/sluice/pipelines/playtime.yaml")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
