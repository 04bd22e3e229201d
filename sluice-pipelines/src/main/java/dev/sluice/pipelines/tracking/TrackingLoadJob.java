package dev.sluice.pipelines.tracking;

import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.postgres.warehouse.FileLoad;
import dev.sluice.postgres.warehouse.RawFile;
import dev.sluice.postgres.warehouse.WarehouseLoader;
import dev.sluice.postgres.warehouse.WarehouseTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The warehouse load: every raw file under the archive prefix that the ledger does not have is loaded into
 * {@code events}, oldest first (keys start with the date and time; {@value #FILES_AT_ONCE} at a time), each file in
 * its own transaction with its ledger row ({@link WarehouseLoader}). Raw files are never deleted.
 *
 * <p>The listing goes through every page ({@code ListObjectsV2} paginator, no 1,000-key limit), the ledger is read
 * in one query. A failure (warehouse down, S3 down) rolls back the file being loaded and fails the run; files loaded
 * before it stay loaded, and the next run goes on from there.
 *
 * <pre>{@code
 * JobConnections connections = db.jobConnections(TrackingLoadJob.NAME, TrackingLoadJob.CONNECTIONS);
 * TrackingLoadJob job = new TrackingLoadJob(settings, s3, connections);
 * TrackingLoadJob.Summary once = job.loadPending();                    // sluice load tracking
 * JobScheduler.start(new SingleRunnerJob(job, connections),            // sluice run tracking
 *         settings.load().interval(), settings.load().firstRun(), settings.load().maxRunTime(), registry, clock);
 * }</pre>
 */
public final class TrackingLoadJob implements Job {
    public static final String NAME = "tracking-load";
    /** Files loaded at once: two keep both the parsing and the database busy; more only compete for the CPU. */
    static final int FILES_AT_ONCE = 2;
    /** Connections a run holds at once: one per file loading, and the lock of its {@code SingleRunnerJob}. */
    public static final int CONNECTIONS = FILES_AT_ONCE + 1;
    private static final Logger log = LoggerFactory.getLogger(TrackingLoadJob.class);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final WarehouseLoader loader;

    /** What one run did. */
    public record Summary(int filesLoaded, int filesAlreadyLoaded, long rows, long duplicates, long errors) {
        @Override
        public String toString() {
            return filesLoaded + " files loaded (" + rows + " rows, " + duplicates + " duplicates skipped, " + errors
                    + " errors), " + filesAlreadyLoaded + " already loaded";
        }
    }

    public TrackingLoadJob(TrackingSettings settings, S3Client s3, DataSource warehouse) {
        this.s3 = s3;
        this.bucket = settings.bucket();
        this.prefix = settings.archive().prefix();
        TrackingLoadSettings load = settings.load();
        this.loader = new WarehouseLoader(warehouse,
                WarehouseTables.of(load.events(), EventRowParser.COLUMNS, load.ledger(), load.loadErrors()),
                new EventRowParser(load.maxLineBytes()), load.maxLineBytes());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run() throws Exception {
        return JobResult.done(loadPending().toString());
    }

    /** Loads every raw file not in the ledger; throws on the first file that fails (it is rolled back). */
    public Summary loadPending() throws Exception {
        List<RawFile> listed = listRawFiles();
        Set<RawFile.LedgerKey> loaded = loader.loadedFiles(prefix);
        List<RawFile> pending = listed.stream().filter(f -> !loaded.contains(f.ledgerKey()))
                .sorted(Comparator.comparing(RawFile::key)).toList();
        int files = 0;
        int skipped = listed.size() - pending.size();
        long rows = 0;
        long duplicates = 0;
        long errors = 0;
        for (FileLoad load : loadInOrder(pending)) {
            if (load.skipped()) {
                skipped++;
                continue;
            }
            files++;
            rows += load.rowsLoaded();
            duplicates += load.duplicates();
            errors += load.errors();
        }
        return new Summary(files, skipped, rows, duplicates, errors);
    }

    /**
     * Loads {@value #FILES_AT_ONCE} files at a time, started oldest first, each in its own transaction: one file's
     * lines are parsed while the other's COPY finishes in the database. The first failure fails the run; files
     * committed by then stay loaded.
     */
    private List<FileLoad> loadInOrder(List<RawFile> pending) throws Exception {
        List<FileLoad> loads = new ArrayList<>(pending.size());
        try (ExecutorService loaders = Executors.newFixedThreadPool(FILES_AT_ONCE,
                Thread.ofPlatform().name("tracking-load-", 0).daemon(true).factory())) {
            List<Future<FileLoad>> started = new ArrayList<>(pending.size());
            for (RawFile file : pending) {
                started.add(loaders.submit(() -> loadOne(file)));
            }
            for (Future<FileLoad> load : started) {
                try {
                    loads.add(load.get());
                } catch (ExecutionException e) {
                    loaders.shutdownNow();
                    throw rethrown(e.getCause());
                } catch (InterruptedException e) {
                    loaders.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while loading raw files", e);
                }
            }
        }
        return loads;
    }

    private FileLoad loadOne(RawFile file) throws Exception {
        FileLoad load = loader.load(file, () -> open(file));
        if (!load.skipped()) {
            log.atInfo().addKeyValue("pipeline", "tracking").addKeyValue("source", "s3://" + bucket + "/" + file.key())
                    .log("loaded s3://{}/{}: {} rows, {} duplicates skipped, {} errors", bucket, file.key(),
                            load.rowsLoaded(), load.duplicates(), load.errors());
        }
        return load;
    }

    private static Exception rethrown(Throwable failure) {
        if (failure instanceof Exception e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IOException(failure);
    }

    private List<RawFile> listRawFiles() {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .map(this::rawFile).toList();
    }

    private RawFile rawFile(S3Object object) {
        return new RawFile(object.key(), unquoted(object.eTag()), object.size());
    }

    private ResponseInputStream<GetObjectResponse> open(RawFile file) throws IOException {
        ResponseInputStream<GetObjectResponse> object = s3.getObject(r -> r.bucket(bucket).key(file.key()));
        String eTag = unquoted(object.response().eTag());
        if (!file.eTag().equals(eTag)) {
            object.abort();
            object.close();
            throw new IOException("s3://" + bucket + "/" + file.key() + " changed after it was listed (ETag "
                    + file.eTag() + ", now " + eTag + "); it is loaded at the next run");
        }
        return object;
    }

    private static String unquoted(String eTag) {
        return eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }
}
