package dev.sluice.pipelines.logins;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Makes login event bodies shaped like the public login-queue data set, for {@code sluice generate logins} and the
 * demo. A duplicate repeats the previous body exactly (a producer that sent twice); a malformed body breaks one of
 * the pipeline's rules, so the error table fills too.
 *
 * <p>Not thread-safe: one generator per sending thread.
 */
public final class LoginGenerator {
    private static final List<String> VERSIONS = List.of("2.3.0", "0.96", "0.2.6", "2.2.1", "0.4.6", "5.0.0", "3.7");
    private static final List<String> LOCALES = List.of("RU", "PH", "ID", "FR", "US", "DE", "BR", "CN", "JP", "NG");
    private static final List<String> MALFORMED = List.of(
            "this is not json",
            "[1, 2, 3]",
            "{\"foo\": \"oops_wrong_msg_type\", \"bar\": \"123\"}",
            "{\"user_id\": 42, \"app_version\": \"1.0\", \"device_type\": \"ios\", \"ip\": \"10.0.0.1\", "
                    + "\"locale\": \"US\", \"device_id\": \"000-00-0000\"}",
            "{\"user_id\": \"u\", \"app_version\": \"abc\", \"device_type\": \"ios\", \"ip\": \"10.0.0.1\", "
                    + "\"locale\": \"US\", \"device_id\": \"000-00-0000\"}",
            "{\"user_id\": \"u\", \"app_version\": \"1.0\", \"device_type\": \"ios\", \"ip\": \"300.1.2.3\", "
                    + "\"locale\": \"US\", \"device_id\": \"000-00-0000\"}");

    private final Random random;
    private final double duplicateRate;
    private final double malformedRate;
    private String previous;

    /**
     * @param seed          makes a run repeatable
     * @param duplicateRate share of bodies that repeat the previous one, 0–1
     * @param malformedRate share of bodies that break a rule, 0–1
     */
    public LoginGenerator(long seed, double duplicateRate, double malformedRate) {
        checkRates(duplicateRate, malformedRate);
        this.random = new Random(seed);
        this.duplicateRate = duplicateRate;
        this.malformedRate = malformedRate;
    }

    /** Both rates 0–1 and together at most 1, else an error naming the option and the rule. */
    public static void checkRates(double duplicateRate, double malformedRate) {
        checkRate("duplicate-rate", duplicateRate);
        checkRate("malformed-rate", malformedRate);
        if (duplicateRate + malformedRate > 1) {
            throw new IllegalArgumentException("duplicate-rate + malformed-rate must not exceed 1, was "
                    + (duplicateRate + malformedRate));
        }
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + rate);
        }
    }

    /** The next body to send. */
    public String next() {
        double dice = random.nextDouble();
        if (previous != null && dice < duplicateRate) {
            return previous;
        }
        if (dice < duplicateRate + malformedRate) {
            return MALFORMED.get(random.nextInt(MALFORMED.size()));
        }
        previous = login();
        return previous;
    }

    private String login() {
        String locale = random.nextInt(10) < 3 ? "null" : '"' + pick(LOCALES) + '"';
        return String.format(Locale.ROOT,
                "{\"user_id\": \"%s\", \"app_version\": \"%s\", \"device_type\": \"%s\", \"ip\": \"%s\", "
                        + "\"locale\": %s, \"device_id\": \"%03d-%02d-%04d\"}",
                new UUID(random.nextLong(), random.nextLong()), pick(VERSIONS),
                random.nextBoolean() ? "android" : "ios", ip(), locale,
                random.nextInt(1000), random.nextInt(100), random.nextInt(10_000));
    }

    private String ip() {
        if (random.nextInt(20) == 0) {
            return String.format(Locale.ROOT, "2001:db8:%x:%x::%x", random.nextInt(0x10000), random.nextInt(0x10000),
                    random.nextInt(0x10000));
        }
        return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + random.nextInt(256);
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
