package dev.sluice.pipelines.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * SQL over a local copy of the lake ({@link LakeMirror}) with in-process DuckDB: the files are the view
 * {@code events}, with the partition columns {@code year}, {@code month}, {@code day} (integers) and
 * {@code event_type} (text) read from the hive-style paths.
 *
 * <pre>{@code
 * LakeQuery.Result r = new LakeQuery(mirror.sync().root()).run("SELECT event_type, count(*) n FROM events GROUP BY 1");
 * }</pre>
 */
public final class LakeQuery {

    /** The view over an empty lake, so a query of an empty lake answers with no rows instead of failing. */
    private static final String EMPTY = "SELECT NULL::VARCHAR AS event_uuid, NULL::VARCHAR AS event_name, "
            + "NULL::VARCHAR AS event_subtype, NULL::DOUBLE AS created_at, NULL::VARCHAR AS created_datetime, "
            + "NULL::VARCHAR AS payload, NULL::BIGINT AS year, NULL::BIGINT AS month, NULL::BIGINT AS day, "
            + "NULL::VARCHAR AS event_type WHERE false";

    private final Path root;

    public LakeQuery(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** Column names and rows; values as DuckDB's JDBC driver returns them (numbers stay numbers). */
    public record Result(List<String> columns, List<List<Object>> rows) {
    }

    public Result run(String sql) throws SQLException, IOException {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("CREATE VIEW events AS " + (hasFiles() ? "SELECT * FROM read_parquet("
                    + LakeCompaction.sqlString(root.resolve("**").resolve("*.parquet").toString())
                    + ", hive_partitioning = true, hive_types = {'event_type': VARCHAR}, union_by_name = true)"
                    : EMPTY));
            try (ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>(meta.getColumnCount());
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return new Result(columns, rows);
            }
        }
    }

    private boolean hasFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.anyMatch(p -> p.toString().endsWith(".parquet"));
        }
    }
}
