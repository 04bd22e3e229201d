package dev.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * When a chaos run does what, drawn from a seed: the same seed and options give the same plan. Faults never
 * overlap: an outage or a half-open cut is followed by a quiet spell with no kill, so the time to recover after it
 * is the pipeline's and not a restart's; kills and stops are at least {@link #MIN_GAP} apart, so the worker has
 * started and taken work before it dies again. The order of the faults is shuffled and the slack between them
 * spread at random.
 */
record ChaosPlan(Duration length, List<Fault> faults) {

    /** How long the pipeline runs before the first fault, and at least between two kills or stops. */
    static final Duration MIN_GAP = Duration.ofSeconds(8);

    enum Kind { KILL, TERM, OUTAGE, HALF_OPEN }

    /** One fault, {@code at} from the start of the run; {@code service} and {@code length} for outages and cuts. */
    record Fault(Duration at, Kind kind, ChaosStack.Service service, Duration length) {
        /** When the fault's quiet spell is over. */
        Duration end(Duration quiet) {
            return at.plus(length).plus(kind == Kind.OUTAGE || kind == Kind.HALF_OPEN ? quiet : Duration.ZERO);
        }
    }

    /**
     * @param outages  the services to take away, once each, for {@code outage}
     * @param halfOpen the service whose worker connections are cut half-open for {@code outage}, or null for none
     * @param quiet    no other fault this long after an outage or a cut
     * @throws IllegalArgumentException when the faults do not fit in {@code length}
     */
    static ChaosPlan draw(long seed, Duration length, int kills, int terms, List<ChaosStack.Service> outages,
                          ChaosStack.Service halfOpen, Duration outage, Duration quiet) {
        List<Fault> unplaced = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            unplaced.add(new Fault(Duration.ZERO, Kind.KILL, null, Duration.ZERO));
        }
        for (int i = 0; i < terms; i++) {
            unplaced.add(new Fault(Duration.ZERO, Kind.TERM, null, Duration.ZERO));
        }
        outages.forEach(s -> unplaced.add(new Fault(Duration.ZERO, Kind.OUTAGE, s, outage)));
        if (halfOpen != null) {
            unplaced.add(new Fault(Duration.ZERO, Kind.HALF_OPEN, halfOpen, outage));
        }
        Random random = new Random(seed);
        Collections.shuffle(unplaced, random);
        Duration needed = MIN_GAP;
        for (Fault f : unplaced) {
            needed = needed.plus(MIN_GAP).plus(f.end(quiet).minus(f.at()));
        }
        Duration slack = length.minus(needed);
        if (slack.isNegative()) {
            throw new IllegalArgumentException(unplaced.size() + " faults (" + kills + " kills, " + terms
                    + " stops, " + outages.size() + " outages" + (halfOpen == null ? "" : ", a half-open cut")
                    + " of " + outage.toSeconds() + " s with " + quiet.toSeconds()
                    + " s quiet after each) need at least " + needed.toSeconds() + " s; --duration is "
                    + length.toSeconds() + " s");
        }
        // Random shares of the slack, one per gap (before each fault and after the last).
        double[] shares = new double[unplaced.size() + 1];
        double sum = 0;
        for (int i = 0; i < shares.length; i++) {
            shares[i] = random.nextDouble();
            sum += shares[i];
        }
        List<Fault> placed = new ArrayList<>();
        Duration at = MIN_GAP;
        for (int i = 0; i < unplaced.size(); i++) {
            at = at.plus(Duration.ofMillis((long) (slack.toMillis() * shares[i] / sum)));
            Fault f = unplaced.get(i);
            Fault timed = new Fault(at, f.kind(), f.service(), f.length());
            placed.add(timed);
            at = timed.end(quiet).plus(MIN_GAP);
        }
        return new ChaosPlan(length, List.copyOf(placed));
    }

    long count(Kind kind) {
        return faults.stream().filter(f -> f.kind() == kind).count();
    }
}
