package dev.sluice.cli;

import dev.sluice.local.LaptopPlatform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sluice local}: only the embedded stack, for running pipelines, the AWS CLI or psql against it. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run the embedded stack (SQS, PostgreSQL) until Ctrl-C and write its endpoints as KEY=value lines.")
final class LocalCommand implements Callable<Integer> {
    @Mixin
    DataDirectoryOption data;

    @Option(names = "--env-file", paramLabel = "FILE", description = "where to write the environment (default: DIR/env)")
    Path envFile;

    @Override
    public Integer call() throws Exception {
        if (!LocalStack.platformAllowsStart(LaptopPlatform.check(), System.err)) {
            return 2;
        }
        ShutdownSignal signal = ShutdownSignal.install(ShutdownSignal.CLOSING_TIME);
        try (LocalStack local = LocalStack.start(data.path)) {
            Path written = local.writeEnvFile(envFile != null ? envFile : data.path.resolve("env"));
            System.out.println(local.describe());
            System.out.println();
            System.out.println("Environment written to " + written + "; use it with:");
            System.out.println("  set -a; . " + written + "; set +a");
            System.out.println("  aws sqs list-queues            # AWS CLI against the embedded SQS");
            System.out.println("  psql \"" + local.psqlUrl() + "\"");
            System.out.println("  ./sluice run logins");
            System.out.println("Ctrl-C stops the stack; data stays in " + data.path + ".");
            signal.await();
        } finally {
            signal.cleanedUp();
        }
        return 0;
    }
}
