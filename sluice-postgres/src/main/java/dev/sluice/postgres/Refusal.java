package dev.sluice.postgres;

import dev.sluice.core.engine.DestinationRejectedException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * Tells a refusal of the data itself (SQLState class 22, data exception, or 23, integrity constraint violation)
 * from a failure worth retrying, and describes it without any value: server messages such as
 * {@code invalid input syntax for type integer: "…"} quote the offending value, so only the condition name and
 * the identifiers the server reports (column, constraint, data type) are kept, and the driver's exception is not
 * attached as the cause.
 */
final class Refusal {

    private static final Map<String, String> CONDITIONS = Map.ofEntries(
            Map.entry("22001", "value too long for the column type"),
            Map.entry("22003", "numeric value out of range"),
            Map.entry("22007", "invalid date/time format"),
            Map.entry("22008", "date/time field out of range"),
            Map.entry("22012", "division by zero"),
            Map.entry("22021", "invalid byte sequence for the encoding"),
            Map.entry("22P02", "invalid text representation for the column type"),
            Map.entry("22P05", "character not representable in the database encoding"),
            Map.entry("23502", "null value in a NOT NULL column"),
            Map.entry("23503", "foreign key violation"),
            Map.entry("23505", "unique violation"),
            Map.entry("23514", "check constraint violation"),
            Map.entry("23P01", "exclusion constraint violation"));

    private Refusal() {
    }

    /** The refusal to throw instead of {@code e}, or empty when {@code e} is transient and should propagate. */
    static Optional<DestinationRejectedException> of(SQLException e, SqlIdentifier table) {
        String state = e.getSQLState();
        if (state == null || !(state.startsWith("22") || state.startsWith("23"))) {
            return Optional.empty();
        }
        StringBuilder reason = new StringBuilder("table ").append(table).append(" refused the row: ")
                .append(CONDITIONS.getOrDefault(state,
                        state.startsWith("22") ? "data exception" : "integrity constraint violation"));
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (server != null) {
            appendIfPresent(reason, "column", server.getColumn());
            appendIfPresent(reason, "constraint", server.getConstraint());
            appendIfPresent(reason, "type", server.getDatatype());
        }
        reason.append(" (SQLState ").append(state).append(')');
        return Optional.of(new DestinationRejectedException(reason.toString()));
    }

    private static void appendIfPresent(StringBuilder reason, String what, String identifier) {
        if (identifier != null && !identifier.isEmpty()) {
            reason.append(", ").append(what).append(' ').append(identifier);
        }
    }
}
