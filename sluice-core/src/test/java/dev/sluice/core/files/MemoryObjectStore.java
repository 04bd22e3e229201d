package dev.sluice.core.files;

import dev.sluice.core.engine.PermanentFailureException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * An object store in memory for the rolling sink's tests: what was put (sorted by key), the keys of every put in
 * order, and scripted failures. What the {@code memory} {@link ObjectStores} of {@link FilesTestPlugins} gives each bucket.
 */
public final class MemoryObjectStore implements ObjectStore {
    public final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    public final List<String> puts = new CopyOnWriteArrayList<>();
    public final List<Map<String, String>> metadata = new CopyOnWriteArrayList<>();
    /** The next this many puts fail transiently. */
    public final AtomicInteger failingPuts = new AtomicInteger();
    /** Every put and delete fails permanently while set. */
    public volatile boolean refusing;

    @Override
    public void put(Path file, String key, String contentType, Map<String, String> metadata) throws Exception {
        if (refusing) {
            throw new PermanentFailureException("bucket memory: access denied");
        }
        if (failingPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("connection reset");
        }
        objects.put(key, Files.readAllBytes(file));
        puts.add(key);
        this.metadata.add(metadata);
    }

    @Override
    public void delete(String key) throws Exception {
        if (refusing) {
            throw new PermanentFailureException("bucket memory: access denied");
        }
        objects.remove(key);
    }

    /** The lines of the gzip object under {@code key}. */
    public List<String> lines(String key) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(objects.get(key)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of every object, in key order. */
    public List<String> allLines() {
        return objects.keySet().stream().flatMap(key -> lines(key).stream()).toList();
    }
}
