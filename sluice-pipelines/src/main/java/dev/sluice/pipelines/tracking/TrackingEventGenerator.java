package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.logins.LoginGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Makes app event bodies shaped like {@code fixtures/tracking/sample_events.ndjson}, for
 * {@code sluice generate tracking} and the demo: an event ({@code submission_success}, {@code registration_initiated}
 * or {@code another_event} with its camel-case {@code event_text}) on android or ios (device type, OS name,
 * manufacturer and model to match), upper-case UUIDs for {@code id} and {@code anonymous_id}; {@code received_at} is
 * now in naive UTC, {@code sent_at} 0.1–2 ms earlier, {@code timestamp} 0.1–1 ms before that, and
 * {@code original_timestamp} slightly earlier again, in Europe/Berlin with its offset ({@code +0100} or
 * {@code +0200}). A random subset of the optional fields is present: {@code context_app_version},
 * {@code context_device_ad_tracking_enabled}, {@code context_library_name}/{@code _version},
 * {@code context_timezone}, {@code user_id} (a digit string) and {@code context_device_token} (null). Every string
 * fits its column of the events table (so android's library is {@code analytics-kotlin}: {@code analytics-android}
 * is one character too long for {@code context_library_name VARCHAR(16)}).
 *
 * <p>A duplicate resends one of the last {@value #REMEMBERED} events exactly (a client that retried); a malformed
 * body is an event cut short, which is never valid JSON.
 *
 * <pre>{@code
 * TrackingEventGenerator events = new TrackingEventGenerator(42, 0.02, 0.01, Clock.systemUTC());
 * sqs.sendMessage(r -> r.queueUrl(url).messageBody(events.next()));
 * }</pre>
 *
 * <p>Not thread-safe: one generator per sending thread.
 */
public final class TrackingEventGenerator {
    static final int REMEMBERED = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx");
    private static final List<String> EVENTS = List.of("submission_success", "registration_initiated", "another_event");
    private static final List<String> EVENT_TEXTS = List.of("submissionSuccess", "registrationInitiated", "anotherEvent");
    private static final List<String> VERSIONS = List.of("1.2.3", "1.3.0", "2.0.1", "2.1.14");
    private static final List<String> LOCALES = List.of("de-DE", "en-DE", "en-US", "fr-FR");
    private static final List<String> CARRIERS = List.of("o2-de", "Telekom.de", "Vodafone.de", "E-Plus");

    private final Random random;
    private final double duplicateRate;
    private final double malformedRate;
    private final Clock clock;
    private final List<String> recent = new ArrayList<>(REMEMBERED);

    /**
     * @param seed          makes a run repeatable (with a fixed clock)
     * @param duplicateRate share of bodies that resend an earlier event, 0–1
     * @param malformedRate share of bodies that are broken JSON, 0–1
     * @param clock         what "now" is for {@code received_at}
     */
    public TrackingEventGenerator(long seed, double duplicateRate, double malformedRate, Clock clock) {
        LoginGenerator.checkRates(duplicateRate, malformedRate);
        this.random = new Random(seed);
        this.duplicateRate = duplicateRate;
        this.malformedRate = malformedRate;
        this.clock = clock;
    }

    /** The next body to send. */
    public String next() {
        double dice = random.nextDouble();
        if (!recent.isEmpty() && dice < duplicateRate) {
            return recent.get(random.nextInt(recent.size()));
        }
        String event = event();
        if (dice < duplicateRate + malformedRate) {
            return event.substring(0, 1 + random.nextInt(event.length() - 1));
        }
        if (recent.size() == REMEMBERED) {
            recent.remove(random.nextInt(REMEMBERED));
        }
        recent.add(event);
        return event;
    }

    private String event() {
        Instant receivedAt = clock.instant();
        Instant sentAt = receivedAt.minus(micros(100, 2_000));
        Instant timestamp = sentAt.minus(micros(100, 1_000));
        Instant original = timestamp.minus(micros(1_000, 500_000));
        boolean android = random.nextBoolean();
        int kind = random.nextInt(EVENTS.size());

        ObjectNode e = JSON.createObjectNode();
        e.put("id", upperUuid());
        e.put("received_at", NAIVE.format(receivedAt));
        e.put("anonymous_id", upperUuid());
        if (random.nextBoolean()) {
            e.put("context_app_version", pick(VERSIONS));
        }
        if (random.nextBoolean()) {
            e.put("context_device_ad_tracking_enabled", random.nextBoolean());
        }
        e.put("context_device_manufacturer", android ? pick(List.of("Samsung", "Google")) : "Apple");
        e.put("context_device_model", android ? pick(List.of("SM-G960F", "Pixel 3")) : pick(List.of("iPhone8,4",
                "iPhone10,3")));
        e.put("context_device_type", android ? "android" : "ios");
        if (random.nextBoolean()) {
            e.put("context_library_name", android ? "analytics-kotlin" : "analytics-ios");
            e.put("context_library_version", android ? "1.10.3" : "3.6.7");
        }
        e.put("context_locale", pick(LOCALES));
        e.put("context_network_wifi", random.nextBoolean());
        e.put("context_os_name", android ? "Android" : "iOS");
        if (random.nextBoolean()) {
            e.put("context_timezone", "Europe/Berlin");
        }
        e.put("event", EVENTS.get(kind));
        e.put("event_text", EVENT_TEXTS.get(kind));
        e.put("original_timestamp", WITH_OFFSET.format(original.atZone(BERLIN)));
        e.put("sent_at", NAIVE.format(sentAt));
        e.put("timestamp", NAIVE.format(timestamp));
        if (random.nextBoolean()) {
            e.put("user_id", Integer.toString(1 + random.nextInt(999_999)));
        }
        e.put("context_network_carrier", pick(CARRIERS));
        if (random.nextBoolean()) {
            e.putNull("context_device_token");
        }
        e.put("context_traits_taxfix_language", pick(List.of("de-DE", "en-DE")));
        return JSON.writeValueAsString(e);
    }

    private Duration micros(int from, int to) {
        return Duration.ofNanos(1_000L * (from + random.nextInt(to - from + 1)));
    }

    private String upperUuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString().toUpperCase(Locale.ROOT);
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
