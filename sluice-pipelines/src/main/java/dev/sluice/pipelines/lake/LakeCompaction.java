package dev.sluice.pipelines.lake;

import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code sluice lake compact --day D}: merges each partition of one day that holds more than one file into one file,
 * exactly once. Per partition, in this order:
 * <ol>
 *   <li>record the compaction (inputs, output) in {@link CompactionLog};</li>
 *   <li>download the inputs and record the ETag of each version read;</li>
 *   <li>merge them (DuckDB, zstd; one row per event_uuid, so copies that reached two files become one) and PUT the
 *       output, named {@code compacted-<hash of the input keys>.parquet} so a repeated attempt writes the same
 *       object;</li>
 *   <li>delete each input only in the version read ({@code If-Match} its ETag);</li>
 *   <li>mark the compaction done.</li>
 * </ol>
 * A file the pipeline has not settled yet (stored, its events not recorded: {@link StoringLedger}) is left out.
 * The pipeline may rewrite an input while this runs (a replay writes the same key): a conditional delete then fails
 * and keeps the new version, and readers hide an input only in the version read, so the rewrite is shown next to
 * the output and the next run merges both, one row per event. Whichever lands first, the rewrite or the delete,
 * nothing is lost and nothing stays doubled. A run first settles what a crashed run left: an output that is stored
 * gets its inputs deleted (in the versions read) and its row marked done; an output that is not stored means no
 * input was deleted yet, so the row is dropped and the partition is planned again. Readers ({@link LakeMirror})
 * skip the inputs of any stored output, so no moment shows an event twice. Run it through {@code SingleRunnerJob}
 * so one compaction runs at a time.
 *
 * <pre>{@code
 * Job compact = new SingleRunnerJob(new LakeCompaction(s3, "lake", "events/", log, day, workDir), db.dataSource());
 * JobResult result = compact.run();
 * }</pre>
 */
public final class LakeCompaction implements Job {

    private static final Logger log = LoggerFactory.getLogger(LakeCompaction.class);

    private final String name;
    private final S3Client s3;
    private final LakeFiles files;
    private final CompactionSettings settings;
    private final CompactionLog compactions;
    private final LocalDate day;
    private final Path workDirectory;

    /** The lake's compaction as before it was a job of the definition: every file of a partition merged. */
    public LakeCompaction(S3Client s3, String bucket, String prefix, CompactionLog compactions, LocalDate day,
                          Path workDirectory) {
        this("lake-compaction", s3, CompactionSettings.lake(bucket, prefix), compactions, day, workDirectory);
    }

    /** The {@code compaction} job's run for {@code day} ({@link CompactionPlugin}). */
    public LakeCompaction(String name, S3Client s3, CompactionSettings settings, CompactionLog compactions,
                          LocalDate day, Path workDirectory) {
        this.name = Objects.requireNonNull(name, "name");
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.files = new LakeFiles(s3, settings.bucket());
        this.compactions = Objects.requireNonNull(compactions, "compactions");
        this.day = Objects.requireNonNull(day, "day");
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public JobResult run() throws Exception {
        int finished = 0;
        int rolledBack = 0;
        for (Compaction c : compactions.unfinished()) {
            if (exists(c.output())) {
                deleteInputs(c);
                compactions.finish(c);
                finished++;
            } else {
                compactions.abandon(c);
                rolledBack++;
            }
        }
        List<LakeObject> listed = files.list(dayPrefix());
        Set<String> unsettled = compactions.unsettled(listed.stream().map(LakeObject::key).toList());
        // Files at the target size already are left as they are.
        Map<String, List<LakeObject>> byPartition = listed.stream()
                .filter(o -> !unsettled.contains(o.key()) && o.size() < settings.targetSize())
                .collect(Collectors.groupingBy(LakeObject::directory, TreeMap::new, Collectors.toList()));
        Set<String> partitions = new TreeSet<>();
        int inputs = 0;
        for (Map.Entry<String, List<LakeObject>> partition : byPartition.entrySet()) {
            for (List<String> group : groups(partition.getValue(), settings.minFiles(), settings.targetSize())) {
                Compaction c = plan(partition.getKey(), group);
                compact(c);
                partitions.add(partition.getKey());
                inputs += c.inputs().size();
            }
        }
        return JobResult.done(String.format(Locale.ROOT, "day %s: %d partitions compacted from %d files; "
                + "%d interrupted compactions finished, %d rolled back", day, partitions.size(), inputs, finished,
                rolledBack));
    }

    /** {@code events/year=2026/month=11/day=22/} */
    String dayPrefix() {
        return settings.dayPrefix(day);
    }

    /**
     * The merges of one partition's files, in key order: each takes files until they reach {@code targetSize}
     * bytes; one of fewer than {@code minFiles} files is not worth a merge and is left out.
     */
    static List<List<String>> groups(List<LakeObject> files, int minFiles, long targetSize) {
        List<List<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>();
        long bytes = 0;
        for (LakeObject file : files.stream().sorted(Comparator.comparing(LakeObject::key)).toList()) {
            group.add(file.key());
            bytes += file.size();
            if (bytes >= targetSize) {
                groups.add(group);
                group = new ArrayList<>();
                bytes = 0;
            }
        }
        groups.add(group);
        return groups.stream().filter(g -> g.size() >= minFiles).toList();
    }

    static Compaction plan(String directory, List<String> keys) {
        List<String> inputs = keys.stream().sorted().toList();
        return new Compaction(directory + "compacted-" + hash(inputs) + ".parquet", inputs);
    }

    private void compact(Compaction c) throws Exception {
        compactions.start(c);
        Path work = Files.createDirectories(workDirectory);
        List<Path> downloaded = new ArrayList<>();
        Path merged = work.resolve("merged.parquet");
        try {
            List<String> etags = new ArrayList<>();
            for (String key : c.inputs()) {
                Path local = work.resolve("input-" + downloaded.size() + ".parquet");
                Files.deleteIfExists(local);
                etags.add(LakeFiles.unquoted(s3.getObject(GetObjectRequest.builder().bucket(files.bucket()).key(key)
                        .build(), local).eTag()));
                downloaded.add(local);
            }
            Compaction read = c.read(etags);
            compactions.read(read);
            Files.deleteIfExists(merged);
            merge(downloaded, merged);
            s3.putObject(PutObjectRequest.builder().bucket(files.bucket()).key(c.output()).build(),
                    RequestBody.fromFile(merged));
            log.info("{}: stored {} from {} files", name, c.output(), c.inputs().size());
            deleteInputs(read);
            compactions.finish(read);
        } finally {
            for (Path p : downloaded) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(merged);
        }
    }

    /**
     * Rows as they are in the inputs (no partition columns: those live in the path), zstd like the writer's; one row
     * per event_uuid, since an event is one event however many files hold it.
     */
    private static void merge(List<Path> inputs, Path output) throws Exception {
        String list = inputs.stream().map(p -> sqlString(p.toString())).collect(Collectors.joining(", ", "[", "]"));
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT DISTINCT ON (event_uuid) * FROM read_parquet(" + list
                    + ", hive_partitioning = false, union_by_name = true))"
                    + " TO " + sqlString(output.toString()) + " (FORMAT PARQUET, COMPRESSION ZSTD)");
        }
    }

    /**
     * Deletes each input in the version read. Deleting a key that is already gone succeeds, so a rerun after a crash
     * mid-deletes is harmless; a key rewritten since it was read fails the ETag condition and is kept.
     */
    private void deleteInputs(Compaction c) {
        for (int i = 0; i < c.inputs().size(); i++) {
            String key = c.inputs().get(i);
            String etag = c.etag(i);
            try {
                s3.deleteObject(DeleteObjectRequest.builder().bucket(files.bucket()).key(key)
                        .ifMatch(etag == null ? null : "\"" + etag + "\"").build());
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    log.info("{}: kept {}: rewritten since it was read, so the next run merges it "
                            + "again", name, key);
                } else if (e.statusCode() != 404) {
                    throw e;
                }
            }
        }
    }

    private boolean exists(String key) {
        try {
            s3.headObject(HeadObjectRequest.builder().bucket(files.bucket()).key(key).build());
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static String sqlString(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String hash(List<String> keys) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(String.join("\n", keys).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
