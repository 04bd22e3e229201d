package dev.sluice.parquet.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@link LakeObjectStore} on a local directory, for tests, benchmarks and DuckDB over a local lake: {@code key}
 * becomes {@code root/key}. A file is copied next to its target under a hidden name and renamed into place, so a
 * reader never sees half of it.
 *
 * <pre>{@code
 * LakeObjectStore lake = new DirectoryLakeObjectStore(Path.of("lake"));
 * // SELECT * FROM read_parquet('lake/events/**\/*.parquet', hive_partitioning = true)
 * }</pre>
 */
public final class DirectoryLakeObjectStore implements LakeObjectStore {
    private final Path root;

    public DirectoryLakeObjectStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, Path file) throws IOException {
        Path target = target(key);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".partial");
        Files.copy(file, partial);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(target(key));
    }

    private Path target(String key) {
        Path target = root.resolve(key).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IllegalArgumentException("key must name a file below the store's directory");
        }
        return target;
    }
}
