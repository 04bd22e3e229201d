package dev.sluice.pipelines.tracking;

import dev.sluice.core.engine.ForwardingSource;
import dev.sluice.core.engine.Message;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.HaltingWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A separate JVM running the tracking definition's archiver that dies the moment it would first delete messages from
 * the queue: after their raw file was stored in S3, before SQS forgets them; {@code Runtime.halt} runs no shutdown
 * hook and no finally block, like SIGKILL. Arguments: the YAML files merged in order (the shipped definition, the
 * test's, the worker's own work directory).
 */
public final class TrackingArchiveWorker {
    public static void main(String[] args) throws Exception {
        String[] yamls = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            yamls[i] = Files.readString(Path.of(args[i]));
        }
        DefinedPipelines.of(System.getenv(), yamls).start("tracking", source -> new ForwardingSource(source) {
            @Override
            public void acknowledge(List<Message> messages) {
                System.out.println("halting before deleting " + messages.size() + " messages");
                Runtime.getRuntime().halt(HaltingWorker.HALT_STATUS);
            }
        });
        System.out.println("worker started");
        // The runner's threads are daemons: the worker waits for its halt.
        new CountDownLatch(1).await();
    }
}
