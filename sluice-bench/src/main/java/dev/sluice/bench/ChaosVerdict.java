package dev.sluice.bench;

import java.util.List;

/**
 * A pipeline's sinks checked against its generator's ledger.
 *
 * @param sent       inputs the servers acknowledged, intended duplicates and malformed ones included
 * @param duplicates of which intended duplicates (the same event or file sent again)
 * @param malformed  of which malformed (each must become a reject with its reason)
 * @param stored     distinct inputs found in the sinks
 * @param lost       inputs found nowhere (neither stored nor rejected)
 * @param doubled    copies in the sink beyond one per input (for playtime: files counted twice)
 * @param rejects    malformed inputs found rejected with a reason
 * @param wrong      inputs handled the wrong way: a valid one rejected, a malformed one stored, a reject without a
 *                   reason, something in a sink the generator never sent
 * @param notes      what each non-zero figure is, precisely (ids are not printed: they may be personal data)
 */
record ChaosVerdict(long sent, long duplicates, long malformed, long stored, long lost, long doubled, long rejects,
                    long wrong, List<String> notes) {

    boolean clean() {
        return lost == 0 && doubled == 0 && wrong == 0 && rejects == malformed;
    }
}
