package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.local.EnvFile;
import dev.sluice.pipelines.logins.LoginsSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded stack as {@code sluice local} and {@code sluice demo} start it: the pipelines' queues, a masking
 * keyset kept next to the data, and the environment that points everything at it.
 */
final class LocalStack implements AutoCloseable {
    static final Path DEFAULT_DIRECTORY = Path.of(".sluice");
    static final int MAX_RECEIVE_COUNT = 5;

    private final EmbeddedStack stack;
    private final Path keysetFile;

    private LocalStack(EmbeddedStack stack, Path keysetFile) {
        this.stack = stack;
        this.keysetFile = keysetFile;
    }

    static LocalStack start(Path directory) {
        Path keysetFile = directory.resolve("keyset.json");
        EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(directory)
                .queue(LoginsSettings.DEFAULT_QUEUE, MAX_RECEIVE_COUNT)
                .start();
        if (!Files.exists(keysetFile)) {
            Keyset.generate().writeTo(keysetFile);
        }
        return new LocalStack(stack, keysetFile);
    }

    /** The stack's endpoints plus the keyset file: what {@code sluice run} needs, and what the env file holds. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(stack.environment());
        env.put(Keyset.ENV_KEYSET_FILE, keysetFile.toAbsolutePath().toString());
        return env;
    }

    Path writeEnvFile(Path file) {
        EnvFile.write(file, environment());
        return file;
    }

    EmbeddedStack stack() {
        return stack;
    }

    Path keysetFile() {
        return keysetFile;
    }

    String describe() {
        return stack.describe() + System.lineSeparator() + "Keyset    " + keysetFile;
    }

    /** psql's connection string for the embedded database. */
    String psqlUrl() {
        return stack.postgres().jdbcUrl().replaceFirst("^jdbc:postgresql://([^/]+)/([^?]+)\\?user=(.+)$",
                "postgresql://$3@$1/$2");
    }

    @Override
    public void close() {
        stack.close();
    }
}
