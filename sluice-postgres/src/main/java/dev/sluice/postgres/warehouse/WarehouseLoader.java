package dev.sluice.postgres.warehouse;

import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.Stage;
import dev.sluice.postgres.PostgresFailures;
import dev.sluice.postgres.SqlIdentifier;
import dev.sluice.postgres.Transactions;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import javax.sql.DataSource;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Loads one gzip NDJSON raw file into a warehouse table in one transaction, exactly once per file version.
 *
 * <p>In that transaction: if the ledger has the file ({@code key + ETag}) nothing happens; otherwise the file is
 * decompressed as a stream and read line by line, each line mapped by the pipeline's stage to the table's columns
 * or rejected with a reason; good rows are COPYed (text format) straight into the table. When that meets a key that
 * is already there, the COPY is rolled back to a savepoint and the file read again into a temporary staging table,
 * moved into the table with {@code INSERT … SELECT … ON CONFLICT DO NOTHING} (a row whose key is already there is
 * skipped and counted);
 * bad lines go to the load-errors table with their line number, reason and raw text, and the ledger row is
 * inserted; then it commits. Any failure rolls the whole file back, so a file is loaded completely or not at all,
 * and the next run tries it again. The ledger's primary key makes a second concurrent load of the same file fail
 * instead of loading twice.
 *
 * <p>A gzip stream that ends early (all listed bytes read, the stream incomplete) or is corrupt cannot ever decode
 * further: the lines before the break load, the break is recorded as a load error on the line it cut, and the file is
 * ledgered. Memory is bounded: lines longer than {@code maxLineBytes} are errors, and pending error rows are written
 * out every {@value #ERROR_FLUSH_ROWS} rows or {@value #ERROR_FLUSH_CHARS} characters.
 *
 * <pre>{@code
 * WarehouseLoader loader = new WarehouseLoader(db.dataSource(),
 *         WarehouseTables.of("events", columns.keySet(), "tracking_loaded_files", "tracking_load_errors",
 *                 "tracking_failed_files"),
 *         new LineRowParser(columns, …), 1 << 20);
 * FileLoad load = loader.load(new RawFile(key, eTag, size), () -> s3.getObject(r -> r.bucket(b).key(key)));
 * }</pre>
 */
public final class WarehouseLoader {
    static final int ERROR_FLUSH_ROWS = 1_000;
    static final int ERROR_FLUSH_CHARS = 8 * 1024 * 1024;
    private static final int COPY_FLUSH_CHARS = 256 * 1024;
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final WarehouseTables tables;
    private final Stage<String, List<String>> rows;
    private final int maxLineBytes;
    /** Per target table: a pooled connection keeps its staging table, and may serve loaders of other tables. */
    private final String staging;

    /**
     * Opens a raw file's bytes (compressed); called only when the file is not loaded, once, or twice when the file
     * holds an event already in the table.
     */
    @FunctionalInterface
    public interface RawFileOpener {
        InputStream open() throws IOException;
    }

    /**
     * @param rows         maps one line to the values of {@code tables.columns()} in order, each in PostgreSQL's
     *                     text input form (null for NULL), or rejects it with a reason naming the field and rule
     * @param maxLineBytes the longest line read; longer ones are load errors
     */
    public WarehouseLoader(DataSource dataSource, WarehouseTables tables, Stage<String, List<String>> rows,
                           int maxLineBytes) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.rows = Objects.requireNonNull(rows, "rows");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.staging = "sluice_staging_" + Integer.toHexString(tables.table().toString().hashCode());
    }

    /**
     * Which of {@code candidates} (a page of a listing) the ledger has, in one query that reads only their rows: a
     * run costs what it lists, never the whole ledger.
     */
    public Set<RawFile.LedgerKey> loadedAmong(Collection<RawFile> candidates) throws SQLException {
        Set<RawFile.LedgerKey> loaded = new HashSet<>();
        among(tables.ledger(), "", candidates, (rows, key) -> loaded.add(key));
        return loaded;
    }

    /** The tries so far of those of {@code candidates} that failed before, in one query (see {@link #recordFailure}). */
    public Map<RawFile.LedgerKey, Integer> failedTriesAmong(Collection<RawFile> candidates) throws SQLException {
        Map<RawFile.LedgerKey, Integer> tries = new HashMap<>();
        among(tables.failedFiles(), ", tries", candidates, (rows, key) -> tries.put(key, rows.getInt(3)));
        return tries;
    }

    /** One row of a lookup by key. */
    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rows, RawFile.LedgerKey key) throws SQLException;
    }

    private void among(SqlIdentifier table, String moreColumns, Collection<RawFile> candidates, RowReader reader)
            throws SQLException {
        if (candidates.isEmpty()) {
            return;
        }
        Set<RawFile.LedgerKey> wanted = new HashSet<>();
        candidates.forEach(file -> wanted.add(file.ledgerKey()));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT file_key, etag" + moreColumns + " FROM "
                     + table.sql() + " WHERE file_key = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("text",
                    candidates.stream().map(RawFile::key).distinct().toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    RawFile.LedgerKey key = new RawFile.LedgerKey(rows.getString(1), rows.getString(2));
                    if (wanted.contains(key)) {
                        reader.read(rows, key);
                    }
                }
            }
        }
    }

    /**
     * The greatest key the ledger has under {@code keyPrefix}, read from the primary key's index (one row), or empty
     * when it has none: where a listing in key order can start.
     */
    public Optional<String> newestLoadedKey(String keyPrefix) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT file_key FROM " + tables.ledger().sql()
                     + " WHERE starts_with(file_key, ?) ORDER BY file_key DESC LIMIT 1")) {
            select.setString(1, keyPrefix);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Records that loading {@code file} failed for {@code reason} (value-free: it is shown to operators as it is)
     * and returns how many tries it has failed now.
     */
    public int recordFailure(RawFile file, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + tables.failedFiles().sql()
                     + " AS f (file_key, etag, tries, reason, first_failed_at, last_failed_at)"
                     + " VALUES (?, ?, 1, ?, now(), now()) ON CONFLICT (file_key, etag) DO UPDATE SET"
                     + " tries = f.tries + 1, reason = EXCLUDED.reason, last_failed_at = now() RETURNING tries")) {
            upsert.setString(1, file.key());
            upsert.setString(2, file.eTag());
            upsert.setString(3, reason);
            try (ResultSet rows = upsert.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /**
     * Loads {@code file} unless the ledger has it.
     *
     * @throws SQLException                  when the database fails (nothing of the file is kept; load it again
     *                                       later)
     * @throws IOException                   when reading the file fails other than by its own truncation
     *                                       (likewise)
     * @throws DestinationRejectedException  when the table refuses a row of the file (e.g. a value too long for
     *                                       its column): the file cannot load as it is (nothing of it is kept)
     * @throws PermanentFailureException     when the setup is wrong (no privilege, no table): no file can load
     */
    public FileLoad load(RawFile file, RawFileOpener opener) throws SQLException, IOException,
            DestinationRejectedException, PermanentFailureException {
        try {
            return Transactions.inTransaction(dataSource, connection -> loadIn(connection, file, opener));
        } catch (SQLException e) {
            throw PostgresFailures.classify(e, tables.table());
        }
    }

    private FileLoad loadIn(Connection connection, RawFile file, RawFileOpener opener)
            throws SQLException, IOException {
        if (inLedger(connection, file)) {
            return FileLoad.alreadyLoaded(file);
        }
        try (Statement statement = connection.createStatement()) {
            // The raw file stays in the bucket and its rows commit with its ledger row: a commit lost in a server
            // crash loses both, and the next run loads the file again. So this commit need not wait for the WAL
            // flush, which is most of the cost of a small file.
            statement.execute("SET LOCAL synchronous_commit = off");
            // Once per pooled connection (and again after a rollback undid its creation): creating it per file
            // costs more than loading a small file. Its rows go at every commit, and a rollback takes them too.
            statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + staging + " (LIKE " + tables.table().sql()
                    + ") ON COMMIT DELETE ROWS");
        }
        // Duplicates are rare (a redelivered event), so the file is first COPYed straight into the table, which is
        // as fast as a load gets; only when that meets an id already there is it read again through the staging
        // table, where ON CONFLICT skips and counts the duplicates.
        Savepoint direct = connection.setSavepoint();
        try {
            FileReading reading = read(connection, file, opener, tables.table().sql());
            connection.releaseSavepoint(direct);
            return ledgered(connection, new FileLoad(file, false, reading.staged, 0, reading.errors));
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(direct);
        }
        FileReading reading = read(connection, file, opener, staging);
        long loaded;
        try (Statement statement = connection.createStatement()) {
            loaded = statement.executeLargeUpdate("INSERT INTO " + tables.table().sql() + " (" + tables.columnList()
                    + ") SELECT " + tables.columnList() + " FROM " + staging + " ON CONFLICT DO NOTHING");
        }
        return ledgered(connection, new FileLoad(file, false, loaded, reading.staged - loaded, reading.errors));
    }

    private FileReading read(Connection connection, RawFile file, RawFileOpener opener, String copyTarget)
            throws SQLException, IOException {
        FileReading reading = new FileReading(connection, file, copyTarget);
        try (InputStream raw = opener.open()) {
            reading.read(raw);
        } finally {
            reading.cancelCopy();
        }
        return reading;
    }

    private FileLoad ledgered(Connection connection, FileLoad load) throws SQLException {
        insertLedger(connection, load);
        return load;
    }

    private boolean inLedger(Connection connection, RawFile file) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM " + tables.ledger().sql()
                + " WHERE file_key = ? AND etag = ?")) {
            select.setString(1, file.key());
            select.setString(2, file.eTag());
            try (ResultSet result = select.executeQuery()) {
                return result.next();
            }
        }
    }

    private void insertLedger(Connection connection, FileLoad load) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + tables.ledger().sql()
                + " (file_key, etag, rows_loaded, duplicates_skipped, errors, loaded_at) VALUES (?, ?, ?, ?, ?, now())")) {
            insert.setString(1, load.file().key());
            insert.setString(2, load.file().eTag());
            insert.setLong(3, load.rowsLoaded());
            insert.setLong(4, load.duplicates());
            insert.setLong(5, load.errors());
            insert.executeUpdate();
        }
    }

    /** A line that could not be loaded, as the load-errors table keeps it. */
    private record LoadError(long lineNumber, String reason, String rawLine) {
    }

    /** The reading of one file: staged rows go to COPY, bad lines wait in {@link #pending} until flushed. */
    private final class FileReading {
        private final Connection connection;
        private final RawFile file;
        private final CopyTarget copy;
        private final List<LoadError> pending = new ArrayList<>();
        private long pendingChars;
        private long staged;
        private long errors;

        FileReading(Connection connection, RawFile file, String copyTarget) throws SQLException {
            this.connection = connection;
            this.file = file;
            this.copy = new CopyTarget(connection.unwrap(PGConnection.class), copyTarget);
        }

        void read(InputStream raw) throws SQLException, IOException {
            CountingStream counted = new CountingStream(raw);
            RawLines lines = null;
            long lineNumber = 0;
            try {
                lines = new RawLines(new GZIPInputStream(counted, 64 * 1024), maxLineBytes);
                for (RawLines.Line line = lines.next(); line != null; line = lines.next()) {
                    lineNumber++;
                    readLine(lineNumber, line);
                }
            } catch (EOFException e) {
                if (counted.count < file.size()) {
                    throw e;  // the download ended early, not the file: retried by the next run
                }
                brokenTail(lineNumber + 1, lines, "gzip stream ends early (truncated file): lines after "
                        + lineNumber + " cannot be decoded");
            } catch (ZipException e) {
                brokenTail(lineNumber + 1, lines, "not a valid gzip stream (" + e.getMessage()
                        + "): lines after " + lineNumber + " cannot be decoded");
            }
            staged += copy.end();
            flushErrors();
        }

        void cancelCopy() throws SQLException {
            copy.cancel();
        }

        private void readLine(long lineNumber, RawLines.Line line) throws SQLException {
            if (line.tooLong()) {
                error(lineNumber, "line longer than " + maxLineBytes + " bytes (the rest of it was skipped)",
                        line.bytes());
                return;
            }
            String text = utf8(line.bytes());
            if (text == null) {
                error(lineNumber, "line is not valid UTF-8", line.bytes());
                return;
            }
            if (text.isBlank()) {
                return;  // an empty line carries no event
            }
            switch (rows.apply(text)) {
                case Outcome.Emit<List<String>> emit -> {
                    int nulColumn = copy.row(emit.value());
                    if (nulColumn >= 0) {
                        error(lineNumber, tables.columns().get(nulColumn).name()
                                + ": contains a NUL character, which PostgreSQL text cannot store", line.bytes());
                    }
                }
                case Outcome.Reject<List<String>> reject -> error(lineNumber, reject.reason(), line.bytes());
                case Outcome.Drop<List<String>> ignored -> { }
            }
        }

        /**
         * The line as text, or null when it is not valid UTF-8. The lenient decoding is the fast one and marks
         * malformed bytes with U+FFFD; only a line holding that character is decoded again strictly, to tell a
         * malformed byte from a U+FFFD that was really sent.
         */
        private static String utf8(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.indexOf('\uFFFD') < 0) {
                return text;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }

        private void brokenTail(long lineNumber, RawLines lines, String reason) throws SQLException {
            error(lineNumber, reason, lines == null ? new byte[0] : lines.partial());
        }

        private void error(long lineNumber, String reason, byte[] raw) throws SQLException {
            // Invalid bytes become U+FFFD and NUL (which text columns refuse) too: the row must store, whatever the line.
            String rawLine = new String(raw, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
            pending.add(new LoadError(lineNumber, new Outcome.Reject<>(reason).reason(), rawLine));
            pendingChars += rawLine.length();
            errors++;
            if (pending.size() >= ERROR_FLUSH_ROWS || pendingChars >= ERROR_FLUSH_CHARS) {
                // A connection runs one COPY at a time: end it, write the errors, and go on with a new COPY.
                staged += copy.end();
                flushErrors();
            }
        }

        private void flushErrors() throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + tables.loadErrors().sql()
                    + " (file_key, etag, line_number, reason, raw_line) VALUES (?, ?, ?, ?, ?)")) {
                for (LoadError error : pending) {
                    insert.setString(1, file.key());
                    insert.setString(2, file.eTag());
                    insert.setLong(3, error.lineNumber());
                    insert.setString(4, error.reason());
                    insert.setString(5, error.rawLine());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            pending.clear();
            pendingChars = 0;
        }
    }

    /** COPY into the table or the staging table, opened on the first row and buffered in chunks of text. */
    private final class CopyTarget {
        private final PGConnection connection;
        private final String target;
        private final StringBuilder buffer = new StringBuilder(COPY_FLUSH_CHARS + 4096);
        private CopyIn copyIn;

        CopyTarget(PGConnection connection, String target) {
            this.connection = connection;
            this.target = target;
        }

        /** Adds a row; returns the column holding a NUL (the row is then not added), or -1. */
        int row(List<String> values) throws SQLException {
            int nulColumn = CopyText.appendRow(buffer, values);
            if (buffer.length() >= COPY_FLUSH_CHARS) {
                flush();
            }
            return nulColumn;
        }

        /** Ends the COPY in progress, if any; returns the rows it staged. */
        long end() throws SQLException {
            flush();
            if (copyIn == null) {
                return 0;
            }
            CopyIn ending = copyIn;
            copyIn = null;
            return ending.endCopy();
        }

        void cancel() throws SQLException {
            if (copyIn != null && copyIn.isActive()) {
                CopyIn cancelling = copyIn;
                copyIn = null;
                cancelling.cancelCopy();
            }
        }

        private void flush() throws SQLException {
            if (buffer.isEmpty()) {
                return;
            }
            if (copyIn == null) {
                copyIn = connection.getCopyAPI().copyIn("COPY " + target + " (" + tables.columnList()
                        + ") FROM STDIN");
            }
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copyIn.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }

    /** Counts the compressed bytes read, to tell a truncated file from a broken download. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int read = super.read(b, off, len);
            if (read > 0) {
                count += read;
            }
            return read;
        }
    }
}
