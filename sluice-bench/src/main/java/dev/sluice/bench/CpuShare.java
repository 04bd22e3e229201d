package dev.sluice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * How busy the machine and this JVM were over a window, in cores, from {@code /proc/stat} and the JVM's CPU time.
 * On a shared machine the difference (Redis, wrk, and whatever else runs) tells whether a bad number was this
 * benchmark's or a neighbour's; the load average cannot, as it lags by a minute and counts this JVM's threads too.
 */
record CpuShare(long machineBusy, long machineTotal, long jvmNanos, long wallNanos) {

    static CpuShare now() {
        long[] jiffies = machineJiffies();
        long jvm = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getProcessCpuTime();
        return new CpuShare(jiffies[0], jiffies[1], jvm, System.nanoTime());
    }

    /** {@code machine 1.9 / JVM 1.4} cores busy since {@code start}, or {@code n/a} off Linux. */
    String since(CpuShare start) {
        int cores = Runtime.getRuntime().availableProcessors();
        long total = machineTotal - start.machineTotal;
        if (total <= 0 || machineTotal < 0) {
            return "n/a";
        }
        double machine = cores * (double) (machineBusy - start.machineBusy) / total;
        double jvm = (double) (jvmNanos - start.jvmNanos) / (wallNanos - start.wallNanos);
        return String.format(Locale.ROOT, "%.1f / %.1f", machine, jvm);
    }

    /** Busy and total jiffies of all CPUs: the first line of {@code /proc/stat}; {-1, -1} when unreadable. */
    private static long[] machineJiffies() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long[] values = Arrays.stream(fields, 1, fields.length).mapToLong(Long::parseLong).toArray();
            long total = Arrays.stream(values).limit(8).sum(); // user … steal; guest time is inside user already
            long idle = values[3] + values[4]; // idle + iowait
            return new long[]{total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[]{-1, -1};
        }
    }
}
