package dev.sluice.bench;

import dev.sluice.pipelines.logins.LoginGenerator;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Logins under chaos: login bodies (2% resent, 2% malformed) into {@code login-queue}; every SQS message id must end
 * as one {@code user_logins} row (valid) or one {@code login_errors} row with a reason (malformed).
 */
final class LoginsChaos extends ChaosTarget {
    /** How a generated login starts; the generator's malformed bodies never do (they are not JSON, or lack a UUID). */
    private static final Pattern LOGIN = Pattern.compile("^\\{\"user_id\": \"[0-9a-f-]{36}\", ");
    private static final double DUPLICATE_RATE = 0.02;
    private static final double MALFORMED_RATE = 0.02;

    private final LoginGenerator generator;
    /** SQS message id → whether its body is a valid login. */
    private final Map<String, Boolean> ledger = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private String previous;

    LoginsChaos(long seed) {
        super("logins", Set.of(ChaosStack.Service.QUEUE, ChaosStack.Service.POSTGRES),
                new ChaosQueue(PipelineTuning.QUEUE));
        this.generator = new LoginGenerator(seed, DUPLICATE_RATE, MALFORMED_RATE);
    }

    @Override
    String settings() {
        return queue().sourceSettings("logins");
    }

    @Override
    void send(ChaosStack stack, int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(generator.next());
        }
        queue().send(stack, bodies, (body, messageId) -> {
            boolean valid = LOGIN.matcher(body).find();
            if (valid && body.equals(previous)) {
                duplicates.incrementAndGet();
            }
            if (valid) {
                previous = body;
            }
            ledger.put(messageId, valid);
        });
    }

    @Override
    long sinkCount(ChaosStack stack) throws Exception {
        return stack.count("SELECT (SELECT count(*) FROM user_logins) + (SELECT count(*) FROM login_errors)");
    }

    @Override
    ChaosVerdict verify(ChaosStack stack) throws Exception {
        Map<String, Integer> rows = stack.occurrences("SELECT source_message_id FROM user_logins");
        Map<String, String> rejects = stack.pairs("SELECT message_id, reason FROM login_errors");
        return verdict(rows, rejects, queue().deadLettered(stack));
    }

    private ChaosVerdict verdict(Map<String, Integer> rows, Map<String, String> rejects, long deadLettered) {
        long malformed = 0;
        long stored = 0;
        long lost = 0;
        long doubled = 0;
        long rejected = 0;
        ChaosNotes wrong = new ChaosNotes();
        for (Map.Entry<String, Boolean> sent : ledger.entrySet()) {
            int copies = rows.getOrDefault(sent.getKey(), 0);
            String reason = rejects.get(sent.getKey());
            stored += Math.min(copies, 1);
            doubled += Math.max(0, copies - 1);
            if (copies == 0 && reason == null) {
                lost++;
            }
            if (sent.getValue()) {
                wrong.addIf(reason != null, "a valid login rejected: " + reason);
            } else {
                malformed++;
                wrong.addIf(copies > 0, "a malformed body stored in user_logins");
                rejected += reason != null && wrong.hasReason(reason) ? 1 : 0;
            }
        }
        rows.keySet().stream().filter(id -> !ledger.containsKey(id))
                .forEach(id -> wrong.add("a user_logins row for a message the generator never sent"));
        List<String> notes = wrong.lines();
        if (deadLettered > 0) {
            notes = new ArrayList<>(notes);
            notes.add(deadLettered + " messages in login-queue-dlq");
        }
        return new ChaosVerdict(ledger.size(), duplicates.get(), malformed, stored, lost, doubled, rejected,
                wrong.count(), notes);
    }
}
