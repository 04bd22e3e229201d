package dev.sluice.postgres;

import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.PermanentFailureException;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that tells, from its SQLState, what retrying can do about a PostgreSQL failure:
 * <ul>
 *   <li>the data is refused (class 22 data exception, 23 integrity constraint violation): a
 *       {@link DestinationRejectedException} from {@link Refusal}, which the runner turns into rejects;</li>
 *   <li>the setup is wrong and stays wrong (class 42 such as 42501 insufficient privilege, 42P01 undefined table,
 *       42703 undefined column; 3D000 no such database; class 28 authentication): a
 *       {@link PermanentFailureException} naming the table, the condition and the SQLState;</li>
 *   <li>everything else is transient, the known cases (class 08 connection, 40001 serialization, 40P01 deadlock,
 *       class 53 insufficient resources, 55P03 lock not available, 57014 statement timeout, 57P01-57P03 server
 *       shutting down or starting) as much as an unknown or missing SQLState: the engine caps retries of
 *       those.</li>
 * </ul>
 * Reasons carry no value: server messages can quote the offending value, so only the condition's name is kept and
 * the driver's exception is not attached to a permanent failure either.
 */
public final class PostgresFailures {

    /** What a failure is, for a caller that records it rather than throws it (a job's per-file record). */
    public enum Kind { TRANSIENT, REJECTED, PERMANENT }

    private static final Map<String, String> PERMANENT = Map.of(
            "42501", "permission denied (insufficient privilege)",
            "42P01", "table does not exist",
            "42703", "column does not exist",
            "42883", "function does not exist",
            "3D000", "database does not exist",
            "28000", "authorization rejected",
            "28P01", "authentication failed");

    private PostgresFailures() {
    }

    /** The kind of {@code e}, by its SQLState alone. */
    public static Kind kind(SQLException e) {
        String state = e.getSQLState();
        if (state == null || state.length() != 5) {
            return Kind.TRANSIENT;
        }
        String condition = state.substring(0, 2);
        return switch (condition) {
            case "22", "23" -> Kind.REJECTED;
            case "42", "28" -> Kind.PERMANENT;
            default -> state.equals("3D000") ? Kind.PERMANENT : Kind.TRANSIENT;
        };
    }

    /**
     * Throws the classified form of {@code e}, met while writing {@code table}: a refusal of the data or a
     * permanent failure; returns {@code e} itself when it is transient, for the caller to throw.
     *
     * <pre>{@code
     * } catch (SQLException e) {
     *     throw PostgresFailures.classify(e, table);
     * }
     * }</pre>
     */
    public static SQLException classify(SQLException e, SqlIdentifier table)
            throws DestinationRejectedException, PermanentFailureException {
        Kind kind = kind(e);
        if (kind == Kind.REJECTED) {
            throw Refusal.of(e, table).orElseThrow();
        }
        if (kind == Kind.PERMANENT) {
            throw new PermanentFailureException(permanentReason(e, table));
        }
        return e;
    }

    /** A value-free reason for {@code e}, whatever its kind: for records of failed work. */
    public static String reason(SQLException e, SqlIdentifier table) {
        return switch (kind(e)) {
            case REJECTED -> Refusal.of(e, table).map(Throwable::getMessage).orElseThrow();
            case PERMANENT -> permanentReason(e, table);
            case TRANSIENT -> "table " + table + ": " + Optional.ofNullable(e.getSQLState())
                    .map(state -> "transient failure (SQLState " + state + ")")
                    .orElse("transient failure (" + e.getClass().getSimpleName() + ", no SQLState)");
        };
    }

    private static String permanentReason(SQLException e, SqlIdentifier table) {
        String state = e.getSQLState();
        String condition = PERMANENT.getOrDefault(state, state.startsWith("28") ? "authentication failed"
                : "syntax error or access rule violation");
        return "table " + table + ": " + condition + " (SQLState " + state + ")";
    }
}
