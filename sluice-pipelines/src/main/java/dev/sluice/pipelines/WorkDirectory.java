package dev.sluice.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A pipeline's local work directory, made ready before the pipeline starts. */
public final class WorkDirectory {

    private WorkDirectory() {
    }

    /**
     * {@code configured}, created if missing and checked writable; when null, a new temporary directory (one per
     * run, so runs as different users never share one).
     *
     * @param setting the setting's path in sluice.yaml, for the error
     * @throws IllegalStateException when the directory cannot be created or written: the pipeline must not start
     */
    public static Path ready(Path configured, String setting, String temporaryPrefix) {
        try {
            if (configured == null) {
                Path directory = Files.createTempDirectory(temporaryPrefix);
                directory.toFile().deleteOnExit();
                return directory;
            }
            Files.createDirectories(configured);
            Files.delete(Files.createTempFile(configured, "write-check-", ".tmp"));
            return configured;
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot write to " + configured
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
