package dev.sluice.core.dedupe;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One {@link BloomFilter} per hour of event time over the dedupe horizon, so memory stays bounded and forgetting an
 * hour is dropping its filter. An event whose hour is {@link #covers covered} and that no filter might contain was
 * never recorded: it needs no database lookup.
 */
final class HourlyBloomFilters {

    /** Filters beyond the horizon's whole hours: the cutoff's partial hour and up to two hours ahead of now. */
    private static final int EDGE_HOURS = 3;

    private final Duration horizon;
    private final long expectedPerHour;
    private final double falsePositiveRate;
    private final ConcurrentSkipListMap<Instant, BloomFilter> byHour = new ConcurrentSkipListMap<>();
    private volatile Instant coveredFrom = Instant.MAX;

    /**
     * @param falsePositiveRate share of new keys that {@link #mightContain} anyway, over all the hours' filters
     *                          together: a key is probed against each, so each is built for this share divided by
     *                          how many can exist at once (the horizon's hours plus the window's edges)
     */
    HourlyBloomFilters(Duration horizon, long expectedPerHour, double falsePositiveRate) {
        this.horizon = horizon;
        this.expectedPerHour = expectedPerHour;
        this.falsePositiveRate = falsePositiveRate / (horizon.toHours() + EDGE_HOURS);
    }

    /**
     * Declares that the filters hold every recorded event from the start of {@code from}'s hour on; the caller then
     * {@link #add adds} every recorded event since the returned instant.
     */
    Instant coverFrom(Instant from) {
        coveredFrom = from.truncatedTo(ChronoUnit.HOURS);
        return coveredFrom;
    }

    /** Vouches for nothing: every event is looked up (the records could not be loaded). */
    void coverNothing() {
        coveredFrom = Instant.MAX;
        byHour.clear();
    }

    /**
     * Whether an event of this time that no filter might contain is certainly new. Times before the covered window
     * or more than an hour ahead of {@code now} are not covered: their hours have no filter.
     */
    boolean covers(Instant eventTime, Instant now) {
        return !eventTime.isBefore(coveredFrom) && eventTime.isBefore(now.plus(Duration.ofHours(2)));
    }

    void add(SeenEvent event, Instant now) {
        if (covers(event.eventTime(), now)) {
            byHour.computeIfAbsent(event.eventTime().truncatedTo(ChronoUnit.HOURS),
                    h -> new BloomFilter(expectedPerHour, falsePositiveRate)).add(event.key());
        }
    }

    /** Whether any hour's filter might hold the key: the duplicate of an event may carry another event time. */
    boolean mightContain(String key) {
        BloomFilter.Hashes hashes = BloomFilter.Hashes.of(key);
        for (BloomFilter filter : byHour.values()) {
            if (filter.mightContain(hashes)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the hours that ended before {@code now - horizon}; the window then starts at that cutoff's hour. */
    void expire(Instant now) {
        Instant cutoffHour = now.minus(horizon).truncatedTo(ChronoUnit.HOURS);
        byHour.headMap(cutoffHour).clear();
        if (coveredFrom.isBefore(cutoffHour)) {
            coveredFrom = cutoffHour;
        }
    }

}
