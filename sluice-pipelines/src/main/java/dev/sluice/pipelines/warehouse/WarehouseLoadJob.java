package dev.sluice.pipelines.warehouse;

import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.postgres.warehouse.FileLoad;
import dev.sluice.postgres.warehouse.RawFile;
import dev.sluice.postgres.warehouse.WarehouseLoader;
import dev.sluice.postgres.warehouse.WarehouseTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warehouse load ({@code warehouse_load}): every raw file under the prefix that the ledger does not have is
 * loaded into the table, its lines converted as the columns declare ({@link LineRowParser}), oldest first (keys start with the date and time; {@value #FILES_AT_ONCE} at a time), each file in
 * its own transaction with its ledger row ({@link WarehouseLoader}). Raw files are never deleted.
 *
 * <p>A run costs what is new, not what is archived. When keys are {@code <prefix>dt=YYYY-MM-DD/HHMMSS-….json.gz}
 * (as the {@code files} sink names them with {@code name: send_time}), key order is time order: a run lists ({@code ListObjectsV2}, every page) only the keys after the newest loaded
 * file's time less {@code relistWindow}, which finds files stored late or named by an instance whose clock lags;
 * the first run after start and then a run every {@code fullListEvery} list the whole prefix, for a file stored
 * later than that. Each page of the listing is checked against the ledger and the failed files by its keys alone
 * (never the whole ledger), and only the files to load are kept in memory.
 *
 * <p>Failures: a file that fails for itself (the warehouse refuses a row, S3 refuses or lost the object, a bug
 * meets its content) is recorded in the failed-files table with its reason and tries, the other files go on, and
 * after {@code maxTries} it is skipped. A failure of the warehouse or S3 as a whole (down, a connection lost, a
 * missing table or privilege) stops the run: the file being loaded rolls back, files loaded before it stay loaded,
 * and the next run goes on from there.
 *
 * <pre>{@code
 * JobConnections connections = db.jobConnections("tracking-load", WarehouseLoadJob.CONNECTIONS);
 * WarehouseLoadJob job = new WarehouseLoadJob("tracking-load", "tracking", settings, s3, connections);
 * WarehouseLoadJob.Summary once = job.loadPending();                   // sluice load tracking
 * JobScheduler.start(new SingleRunnerJob(job, connections), every, firstRun, maxRunTime, registry, clock);
 * }</pre>
 */
public final class WarehouseLoadJob implements Job {
    /** Files loaded at once: two keep both the parsing and the database busy; more only compete for the CPU. */
    static final int FILES_AT_ONCE = 2;
    /** Connections a run holds at once: one per file loading, and the lock of its {@code SingleRunnerJob}. */
    public static final int CONNECTIONS = FILES_AT_ONCE + 1;
    private static final Logger log = LoggerFactory.getLogger(WarehouseLoadJob.class);
    /** {@code dt=YYYY-MM-DD/HHMMSS}: the time a raw file's key starts with, after the prefix. */
    private static final Pattern KEY_TIME = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/(\\d{6})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

    private final String name;
    private final String pipeline;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final WarehouseLoadSettings settings;
    private final WarehouseLoader loader;
    /** When the next run lists the whole prefix; the first run after start does. */
    private long nextFullListing = System.nanoTime();
    private volatile Scan lastScan;

    /** What one run loaded. */
    public record Summary(int filesLoaded, int filesAlreadyLoaded, long rows, long duplicates, long errors) {
        @Override
        public String toString() {
            return filesLoaded + " files loaded (" + rows + " rows, " + duplicates + " duplicates skipped, " + errors
                    + " errors), " + filesAlreadyLoaded + " already loaded";
        }
    }

    /**
     * What one run looked at: its cost, and the files that failed.
     *
     * @param fullListing    true when the run listed the whole prefix, false when it listed from the newest loaded
     *                       file's time less {@code relistWindow}
     * @param objectsListed  keys the listing returned
     * @param ledgerRowsRead rows the ledger and the failed-files table returned for them
     * @param filesFailed    files that failed for themselves in this run (recorded with their reason)
     * @param filesGivenUp   listed files skipped because they failed {@code maxTries} times
     */
    public record Scan(boolean fullListing, long objectsListed, long ledgerRowsRead, int filesFailed,
                       int filesGivenUp) {
        @Override
        public String toString() {
            return (fullListing ? "full listing: " : "listing from the newest loaded file: ") + objectsListed
                    + " objects listed, " + ledgerRowsRead + " ledger rows read, " + filesFailed + " files failed, "
                    + filesGivenUp + " skipped after maxTries";
        }
    }

    /**
     * @param name     the job's name: its lock, metrics tag and log field
     * @param pipeline the pipeline it belongs to, for the log field
     */
    public WarehouseLoadJob(String name, String pipeline, WarehouseLoadSettings settings, S3Client s3,
                            DataSource warehouse) {
        this.name = name;
        this.pipeline = pipeline;
        this.s3 = s3;
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        this.settings = settings;
        LineRowParser parser = new LineRowParser(settings.columns(), settings.maxLineBytes());
        this.loader = new WarehouseLoader(warehouse, WarehouseTables.of(settings.table(), parser.columns(),
                settings.ledger(), settings.loadErrors(), settings.failedFiles()), parser, settings.maxLineBytes());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public JobResult run() throws Exception {
        Summary summary = loadPending();
        return JobResult.done(summary + "; " + lastScan);
    }

    /** What the latest run looked at, empty before the first one listed. */
    public Optional<Scan> lastScan() {
        return Optional.ofNullable(lastScan);
    }

    /**
     * Loads every raw file not in the ledger (and not given up on); throws on the first failure of the warehouse or
     * S3 as a whole (the file then loading is rolled back).
     */
    public synchronized Summary loadPending() throws Exception {
        boolean full = System.nanoTime() - nextFullListing >= 0;
        Optional<String> startAfter = full ? Optional.empty() : startAfter();
        Listing listing = list(startAfter);
        if (startAfter.isEmpty()) {
            nextFullListing = System.nanoTime() + settings.fullListEvery().toNanos();
        }
        List<RawFile> pending = listing.pending.stream().sorted(Comparator.comparing(RawFile::key)).toList();
        Loads loads = loadInOrder(pending);
        lastScan = new Scan(startAfter.isEmpty(), listing.listed, listing.ledgerRowsRead, loads.failed,
                listing.givenUp);
        int files = 0;
        int skipped = listing.alreadyLoaded;
        long rows = 0;
        long duplicates = 0;
        long errors = 0;
        for (FileLoad load : loads.done) {
            if (load.skipped()) {
                skipped++;
                continue;
            }
            files++;
            rows += load.rowsLoaded();
            duplicates += load.duplicates();
            errors += load.errors();
        }
        if (loads.stoppedBy != null) {
            throw loads.stoppedBy;
        }
        return new Summary(files, skipped, rows, duplicates, errors);
    }

    /**
     * The key to list after: the newest loaded file's time less {@code relistWindow}, as a key prefix; empty (list
     * everything) when the ledger has no file under the prefix or its newest key does not carry a time.
     */
    private Optional<String> startAfter() throws SQLException {
        return loader.newestLoadedKey(prefix).flatMap(WarehouseLoadJob::keyTime)
                .map(time -> time.minus(settings.relistWindow()))
                .map(from -> prefix + "dt=" + DAY.format(from) + "/" + TIME.format(from));
    }

    private static Optional<Instant> keyTime(String key) {
        Matcher time = KEY_TIME.matcher(key);
        if (!time.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(time.group(1)).atTime(LocalTime.parse(time.group(2),
                    DateTimeFormatter.ofPattern("HHmmss"))).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();   // not a time: list everything rather than guess
        }
    }

    /** What a listing found: the files to load, and counts. */
    private static final class Listing {
        final List<RawFile> pending = new ArrayList<>();
        long listed;
        long ledgerRowsRead;
        int alreadyLoaded;
        int givenUp;
    }

    /** Lists page by page; each page is sorted out against the ledger and the failed files by its own keys. */
    private Listing list(Optional<String> startAfter) throws SQLException {
        Listing listing = new Listing();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)
                .startAfter(startAfter.orElse(null)))) {
            List<RawFile> files = page.contents().stream().map(this::rawFile).toList();
            Set<RawFile.LedgerKey> loaded = loader.loadedAmong(files);
            Map<RawFile.LedgerKey, Integer> tries = loader.failedTriesAmong(files);
            listing.listed += files.size();
            listing.ledgerRowsRead += loaded.size() + tries.size();
            for (RawFile file : files) {
                if (loaded.contains(file.ledgerKey())) {
                    listing.alreadyLoaded++;
                } else if (tries.getOrDefault(file.ledgerKey(), 0) >= settings.maxTries()) {
                    listing.givenUp++;
                } else {
                    listing.pending.add(file);
                }
            }
        }
        return listing;
    }

    /** The files loaded, how many failed for themselves, and the failure that stopped the run, if any. */
    private static final class Loads {
        final List<FileLoad> done = new ArrayList<>();
        int failed;
        Exception stoppedBy;
    }

    /**
     * Loads {@value #FILES_AT_ONCE} files at a time, started oldest first, each in its own transaction: one file's
     * lines are parsed while the other's COPY finishes in the database. A file that fails for itself is recorded and
     * the others go on; a failure of the warehouse or S3 as a whole stops starting files and ends the run once the
     * files in progress are done. Files committed by then stay loaded.
     */
    private Loads loadInOrder(List<RawFile> pending) throws SQLException {
        Loads loads = new Loads();
        try (ExecutorService loaders = Executors.newFixedThreadPool(FILES_AT_ONCE,
                Thread.ofPlatform().name(name + "-", 0).daemon(true).factory())) {
            List<Future<FileLoad>> started = new ArrayList<>(pending.size());
            for (RawFile file : pending) {
                started.add(loaders.submit(() -> loadOne(file)));
            }
            for (int i = 0; i < started.size(); i++) {
                try {
                    loads.done.add(started.get(i).get());
                } catch (CancellationException e) {
                    continue;   // not started: the run was stopped by an earlier file's failure
                } catch (ExecutionException e) {
                    Throwable failure = e.getCause();
                    Optional<String> reason = fileReason(failure);
                    if (reason.isPresent()) {
                        failed(pending.get(i), reason.get());
                        loads.failed++;
                    } else if (loads.stoppedBy == null) {
                        loads.stoppedBy = asException(failure);
                        started.forEach(f -> f.cancel(false));
                    }
                } catch (InterruptedException e) {
                    loaders.shutdownNow();
                    Thread.currentThread().interrupt();
                    loads.stoppedBy = new IOException("interrupted while loading raw files", e);
                    return loads;
                }
            }
        }
        return loads;
    }

    private void failed(RawFile file, String reason) throws SQLException {
        int tries = loader.recordFailure(file, reason);
        log.atWarn().addKeyValue("pipeline", pipeline).addKeyValue("source", "s3://" + bucket + "/" + file.key())
                .log("could not load s3://{}/{} (try {} of {}{}): {}", bucket, file.key(), tries,
                        settings.maxTries(), tries >= settings.maxTries() ? ", skipped from now on" : "", reason);
    }

    /**
     * Why {@code failure} is the file's own (retrying other files can succeed), in words that carry no value; empty
     * when it is the warehouse's or S3's as a whole, which stops the run.
     */
    static Optional<String> fileReason(Throwable failure) {
        return switch (failure) {
            case DestinationRejectedException refused -> Optional.of(refused.getMessage());
            case S3Exception s3 when s3.statusCode() == 403 || s3.statusCode() == 404 ->
                    Optional.of("S3 refused the object: status " + s3.statusCode()
                            + (s3.awsErrorDetails() == null ? "" : " " + s3.awsErrorDetails().errorCode()));
            case SdkException sdk -> Optional.empty();
            case UncheckedIOException io -> Optional.empty();
            case RuntimeException bug -> Optional.of("loading failed on this file's content: "
                    + bug.getClass().getName());
            default -> Optional.empty();
        };
    }

    private static Exception asException(Throwable failure) {
        if (failure instanceof Exception e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IOException(failure);
    }

    private FileLoad loadOne(RawFile file) throws Exception {
        FileLoad load = loader.load(file, () -> open(file));
        if (!load.skipped()) {
            log.atInfo().addKeyValue("pipeline", pipeline).addKeyValue("source", "s3://" + bucket + "/" + file.key())
                    .log("loaded s3://{}/{}: {} rows, {} duplicates skipped, {} errors", bucket, file.key(),
                            load.rowsLoaded(), load.duplicates(), load.errors());
        }
        return load;
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
