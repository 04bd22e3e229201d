package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.pipelines.logins.LoginsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** {@code sluice generate logins …}: realistic test traffic for a pipeline's source. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Send generated events to a pipeline's source.",
        subcommands = GenerateCommand.Logins.class)
final class GenerateCommand {

    @Command(name = "logins", mixinStandardHelpOptions = true,
            description = "Send login events to the logins queue (endpoint from --config or AWS_ENDPOINT_URL_SQS).")
    static final class Logins implements Callable<Integer> {
        @Option(names = "--count", required = true, paramLabel = "N", description = "messages to send")
        long count;

        @Option(names = "--rate", paramLabel = "N/s", converter = Rate.Converter.class,
                description = "messages per second (default: as fast as possible)")
        Rate rate;

        @Option(names = "--duplicate-rate", paramLabel = "R", defaultValue = "0",
                description = "share of messages that repeat the previous body, 0-1 (default: ${DEFAULT-VALUE})")
        double duplicateRate;

        @Option(names = "--malformed-rate", paramLabel = "R", defaultValue = "0",
                description = "share of messages that break a rule, 0-1 (default: ${DEFAULT-VALUE})")
        double malformedRate;

        @Option(names = "--queue", paramLabel = "NAME", description = "queue name or URL (default: from the config, "
                + LoginsSettings.DEFAULT_QUEUE + ")")
        String queue;

        @Option(names = "--seed", paramLabel = "S", description = "makes the bodies repeatable (default: random)")
        Long seed;

        @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml for the SQS endpoint and queue")
        Path config;

        @Override
        public Integer call() throws Exception {
            if (count < 1) {
                throw new IllegalArgumentException("--count must be at least 1, was " + count);
            }
            var loaded = ConfigSource.load(config, System.getenv());
            String target = queue != null ? queue : loaded.pipelines().logins().source().queue();
            try (var sqs = SqsClients.create(loaded.aws())) {
                String url = SqsSource.queueUrl(sqs, target);
                LoginSender sender = new LoginSender(sqs, url, seed != null ? seed : System.nanoTime(),
                        duplicateRate, malformedRate);
                ProgressLine progress = new ProgressLine(System.out);
                long started = System.nanoTime();
                var sending = new FutureTask<Void>(() -> {
                    sender.send(count, rate);
                    return null;
                });
                Thread.ofVirtual().start(sending);
                while (!sending.isDone()) {
                    progress.show(line(sender.sent(), started));
                    Thread.sleep(200);
                }
                try {
                    sending.get();
                } catch (ExecutionException e) {
                    progress.finish(line(sender.sent(), started) + "  stopped");
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                progress.finish(line(sender.sent(), started) + "  done, queue " + target);
            }
            return 0;
        }

        private String line(long sent, long started) {
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            return String.format(Locale.ROOT, "%s %,d/%,d sent  %,.0f/s", ProgressLine.bar(sent, count, 30), sent, count,
                    sent / seconds);
        }
    }
}
