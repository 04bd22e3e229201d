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
    public static void main(String[] args) throws Exception {
        DefinedPipelines defined = DefinedPipelines.of(Map.of(), Files.readString(Path.of(args[0])));
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
}
