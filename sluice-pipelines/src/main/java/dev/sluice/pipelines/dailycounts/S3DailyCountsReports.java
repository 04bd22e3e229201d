package dev.sluice.pipelines.dailycounts;

import software.amazon.awssdk.services.s3.S3Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The charts a {@link DailyCountsJob} stored, read back from its bucket for the {@code daily_counts} routes. The latest
 * report of an event is the greatest {@code <yyyyMMdd-HHmmss>.json} key under its folder (keys carry the UTC time, so
 * they sort by it) with the {@code .png} of the same name; other keys there are ignored, and a report that cannot be
 * read as one (not the job's JSON, no chart beside it) is logged and skipped, the previous one still served. What was found is kept for {@code readCache}; after that the folder is
 * listed again, starting after the key already known, so a refresh costs one short listing however many charts the
 * folder holds, and the objects are fetched only when a newer report appeared. A failing read throws (the API answers
 * 503) and is tried again at the next request.
 *
 * <pre>{@code
 * DailyCountsReports reports = new S3DailyCountsReports(s3, settings, Clock.systemUTC());
 * }</pre>
 */
public final class S3DailyCountsReports implements DailyCountsReports {

    private static final String JSON = ".json";
    /** The name of a report's numbers under its event's folder, as the job writes it. */
    private static final Pattern REPORT_NAME = Pattern.compile("\\d{8}-\\d{6}\\.json");
    private static final Logger log = LoggerFactory.getLogger(S3DailyCountsReports.class);

    private final S3Client s3;
    private final String bucket;
    private final DailyCountsRoutesSettings settings;
    private final Clock clock;
    /** One entry per report event, made up front: the set of events never changes. */
    private final Map<String, Latest> latest = new LinkedHashMap<>();

    public S3DailyCountsReports(S3Client s3, DailyCountsRoutesSettings settings, Clock clock) {
        this.s3 = s3;
        this.bucket = settings.bucket();
        this.settings = settings;
        this.clock = clock;
        settings.events().forEach(event -> latest.put(event, new Latest(event)));
    }

    @Override
    public List<String> events() {
        return settings.events();
    }

    @Override
    public Optional<DailyCountsReport> latest(String event) {
        Latest entry = latest.get(event);
        return entry == null ? Optional.empty() : entry.get();
    }

    /** What is known about one event's folder; one lookup at a time, so concurrent requests wait for it. */
    private final class Latest {
        private final String event;
        private final String folder;
        /** The key of {@link #report}: listings start after it. */
        private String key;
        private Optional<DailyCountsReport> report = Optional.empty();
        /** Later keys that could not be read as reports: skipped from then on, so they block no newer report. */
        private final Set<String> unreadable = new HashSet<>();
        private Instant checkedAt;

        Latest(String event) {
            this.event = event;
            this.folder = DailyCountsSettings.folder(settings.prefix(), event);
        }

        synchronized Optional<DailyCountsReport> get() {
            Instant now = clock.instant();
            if (checkedAt != null && Duration.between(checkedAt, now).compareTo(settings.readCache()) < 0) {
                return report;
            }
            List<String> newer = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(folder).startAfter(key))
                    .contents().stream().map(S3Object::key)
                    .filter(k -> REPORT_NAME.matcher(k.substring(folder.length())).matches())
                    .filter(k -> !unreadable.contains(k))
                    .sorted(Comparator.reverseOrder()).toList();
            for (String json : newer) {
                if (read(json)) {
                    break;
                }
            }
            checkedAt = now;
            return report;
        }

        /** Takes the report at {@code json}; false when it is none. */
        private boolean read(String json) {
            String png = json.substring(0, json.length() - JSON.length()) + ".png";
            try {
                DailyCounts counts = DailyCountsJson.read(s3.getObjectAsBytes(r -> r.bucket(bucket).key(json))
                        .asByteArray());
                if (!counts.event().equals(event)) {
                    throw new IllegalArgumentException("it holds the numbers of another event");
                }
                byte[] chart = s3.getObjectAsBytes(r -> r.bucket(bucket).key(png)).asByteArray();
                report = Optional.of(new DailyCountsReport(counts, chart));
                key = json;
                return true;
            } catch (IllegalArgumentException | DateTimeException | NoSuchKeyException e) {
                // Not what the job writes: the previous report stays served until a newer one is stored.
                unreadable.add(json);
                log.warn("s3://{}/{} is not a daily counts report, so it is skipped: {}", bucket, json, e.getMessage());
                return false;
            }
        }
    }
}
