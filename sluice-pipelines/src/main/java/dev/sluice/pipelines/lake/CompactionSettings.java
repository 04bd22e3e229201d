package dev.sluice.pipelines.lake;

import dev.sluice.pipelines.BucketFolder;
import dev.sluice.postgres.SqlIdentifier;
import dev.sluice.postgres.plugin.Migrations;

import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code compaction} job: the small files of each partition of one day under {@code prefix} of {@code bucket}
 * merged into fewer, each merge exactly once (docs/plugins/compaction.md).
 *
 * @param bucket       the bucket the files are in (required)
 * @param prefix       the folder they are under (default empty: the whole bucket); empty or ending in {@code /},
 *                     not starting with one
 * @param dayPartition the folders of one day under the prefix, with {@code {year}}, {@code {month}} and
 *                     {@code {day}} (default {@code year={year}/month={month}/day={day}/}); ends with {@code /}
 * @param minFiles     a merge takes at least this many files (default 2, at least 2)
 * @param targetSize   a merge stops taking files once they reach this many bytes, and a file this size or larger is
 *                     left as it is (default 128 MiB, at least 1 MiB)
 * @param log          the table of compactions (default {@code compactions}); a plain lowercase identifier
 * @param ledger       the files sink's ledger of files being stored (default none); a file with a row there is left
 *                     alone until the pipeline has recorded its events
 * @param migrations   the migrations that create the tables, when Sluice creates them (default none)
 */
public record CompactionSettings(String bucket, String prefix, String dayPartition, Integer minFiles,
                                 Long targetSize, String log, String ledger, Migrations migrations) {

    public static final String DEFAULT_DAY_PARTITION = "year={year}/month={month}/day={day}/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    public CompactionSettings {
        BucketFolder.bucket(bucket, "the files");
        prefix = BucketFolder.prefix(prefix, "events/");
        dayPartition = dayPartition == null ? DEFAULT_DAY_PARTITION : dayPartition;
        checkDayPartition(dayPartition);
        minFiles = minFiles == null ? 2 : minFiles;
        if (minFiles < 2) {
            throw new IllegalArgumentException("minFiles must be at least 2 (a merge of one file changes nothing),"
                    + " got " + minFiles);
        }
        targetSize = targetSize == null ? 128L * 1024 * 1024 : targetSize;
        if (targetSize < 1024 * 1024) {
            throw new IllegalArgumentException("targetSize must be at least 1048576 bytes (1 MiB), got " + targetSize);
        }
        log = SqlIdentifier.unqualifiedTable(log == null ? "compactions" : log).name();
        ledger = ledger == null ? null : SqlIdentifier.unqualifiedTable(ledger).name();
    }

    /** The lake's settings before it was a definition: its tables, any file size merged (tests, readers). */
    public static CompactionSettings lake(String bucket, String prefix) {
        return new CompactionSettings(bucket, prefix, null, null, Long.MAX_VALUE, "lake_compactions",
                "lake_storing", null);
    }

    /** The key prefix of {@code day}'s partitions: {@code events/year=2026/month=11/day=22/}. */
    public String dayPrefix(LocalDate day) {
        return prefix + dayPartition
                .replace("{year}", String.format(Locale.ROOT, "%04d", day.getYear()))
                .replace("{month}", String.format(Locale.ROOT, "%02d", day.getMonthValue()))
                .replace("{day}", String.format(Locale.ROOT, "%02d", day.getDayOfMonth()));
    }

    private static void checkDayPartition(String template) {
        if (!template.endsWith("/") || template.startsWith("/")) {
            throw new IllegalArgumentException("dayPartition must be folders ending with / (not starting with one),"
                    + " got '" + template + "'");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!m.group(1).matches("year|month|day")) {
                throw new IllegalArgumentException("dayPartition may use {year}, {month} and {day} only, got {"
                        + m.group(1) + "}");
            }
        }
        for (String needed : new String[] {"{year}", "{month}", "{day}"}) {
            if (!template.contains(needed)) {
                throw new IllegalArgumentException("dayPartition must name the day whole: " + needed
                        + " is missing in '" + template + "'");
            }
        }
    }
}
