package dev.sluice.pipelines.lake;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A local copy of the lake's files for DuckDB, which cannot read S3 here (its {@code httpfs} extension cannot be
 * downloaded): lists the bucket under the prefix, downloads only keys that are new or whose ETag changed, removes
 * local files whose key is gone, and leaves out the inputs of every compaction whose output is listed (in the version
 * the compaction read: an input rewritten since is shown, and compacted again by the next run), so a query never sees
 * an event twice while a compaction is finishing.
 *
 * <pre>{@code
 * LakeMirror mirror = new LakeMirror(s3, "lake", "events/", new CompactionLog(db.dataSource()), cacheDir);
 * LakeMirror.Result copy = mirror.sync();
 * new LakeQuery(copy.root()).run("SELECT event_type, count(*) FROM events GROUP BY ALL");
 * }</pre>
 */
public final class LakeMirror {

    private static final String ETAGS = ".etags.properties";

    private final S3Client s3;
    private final LakeFiles files;
    private final String prefix;
    private final CompactionLog compactions;
    private final Path bucketDirectory;

    public LakeMirror(S3Client s3, String bucket, String prefix, CompactionLog compactions, Path cacheDirectory) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.files = new LakeFiles(s3, bucket);
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.compactions = Objects.requireNonNull(compactions, "compactions");
        this.bucketDirectory = cacheDirectory.resolve(bucket).toAbsolutePath().normalize();
    }

    /**
     * @param root       the local directory of the prefix, to query
     * @param files      files visible in the copy
     * @param downloaded of them, files downloaded by this sync
     * @param removed    local files removed because their key is gone or hidden by a compaction
     */
    public record Result(Path root, int files, int downloaded, int removed) {
    }

    public Result sync() throws Exception {
        List<LakeObject> listed = files.list(prefix);
        Set<String> hidden = compactions.hidden(listed);
        Files.createDirectories(bucketDirectory);
        Properties etags = new Properties();
        Path etagFile = bucketDirectory.resolve(ETAGS);
        if (Files.exists(etagFile)) {
            try (InputStream in = Files.newInputStream(etagFile)) {
                etags.load(in);
            }
        }
        Set<Path> wanted = new HashSet<>();
        int downloaded = 0;
        for (LakeObject o : listed) {
            if (hidden.contains(o.key())) {
                continue;
            }
            Path local = localPath(o.key());
            wanted.add(local);
            if (!Files.exists(local) || !o.etag().equals(etags.getProperty(o.key()))) {
                download(o.key(), local);
                etags.setProperty(o.key(), o.etag());
                downloaded++;
            }
        }
        int removed = 0;
        try (Stream<Path> walk = Files.walk(bucketDirectory)) {
            for (Path p : walk.filter(p -> p.toString().endsWith(".parquet")).toList()) {
                if (!wanted.contains(p)) {
                    Files.delete(p);
                    etags.remove(bucketDirectory.relativize(p).toString().replace('\\', '/'));
                    removed++;
                }
            }
        }
        Path etagTemp = bucketDirectory.resolve(ETAGS + ".tmp");
        try (OutputStream out = Files.newOutputStream(etagTemp)) {
            etags.store(out, "ETag of each mirrored key");
        }
        Files.move(etagTemp, etagFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path root = localDirectory(prefix);
        Files.createDirectories(root);
        return new Result(root, wanted.size(), downloaded, removed);
    }

    /** Downloads next to the target and moves it in, so a query never reads half a file. */
    private void download(String key, Path local) throws IOException {
        Files.createDirectories(local.getParent());
        Path temp = local.resolveSibling(local.getFileName() + ".part");
        Files.deleteIfExists(temp);
        s3.getObject(GetObjectRequest.builder().bucket(files.bucket()).key(key).build(), temp);
        Files.move(temp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path localPath(String key) {
        Path local = bucketDirectory.resolve(key).normalize();
        if (!local.startsWith(bucketDirectory) || local.equals(bucketDirectory)) {
            throw new IllegalArgumentException("object key " + key + " leaves the cache directory; keys must not "
                    + "contain '..' segments or start with '/'");
        }
        return local;
    }

    private Path localDirectory(String keyPrefix) {
        return keyPrefix.isEmpty() ? bucketDirectory : localPath(keyPrefix);
    }
}
