package dev.sluice.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * HTTP load from {@code clients} clients, each with its own JDK {@link HttpClient} (HTTP/1.1, so one keep-alive
 * connection each) on its own virtual thread. Two shapes:
 * <ul>
 *   <li><b>closed loop</b> (rate 0): each client sends its next request as soon as the previous one was answered.
 *       This finds the throughput limit; its latency is mostly queueing (Little's law: clients / throughput).</li>
 *   <li><b>paced</b>: the clients together send {@code rate} requests per second, each on a fixed schedule with its
 *       own phase, like dashboards polling. A latency counts from the moment the request was due, not from when
 *       it was sent, so a server that makes clients fall behind is charged for it (no coordinated omission).</li>
 * </ul>
 * Every request's latency (to the last body byte) is kept, so percentiles are exact, not estimated from a
 * histogram; only requests due inside the measured window count.
 */
final class HttpLoad {

    /**
     * @param sortedNanos every latency of the measured window, ascending
     * @param seconds     the measured window
     * @param errors      requests in the window that failed or did not answer 200
     */
    record Result(long[] sortedNanos, double seconds, long errors) {

        double perSecond() {
            return sortedNanos.length / seconds;
        }

        /** Nearest-rank percentile in ms, {@code q} in (0, 1]. */
        double millis(double q) {
            return sortedNanos.length == 0 ? Double.NaN
                    : sortedNanos[(int) Math.ceil(q * sortedNanos.length) - 1] / 1e6;
        }
    }

    private HttpLoad() {
    }

    /**
     * Runs {@code clients} clients for {@code warmUp} plus {@code measured} and returns the measured window.
     *
     * @param perSecond requests per second of all clients together, or 0 for a closed loop
     * @param requests  the request a client sends as its n-th, given n (distinct across clients), so requests can
     *                  vary, e.g. over user ids
     */
    static Result run(int clients, int perSecond, Duration warmUp, Duration measured,
                      LongFunction<HttpRequest> requests) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        long interval = perSecond == 0 ? 0 : Math.round(1e9 * clients / perSecond);
        List<Future<Client>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                long firstRequest = i * 1_000_003L;
                // Phases spread evenly, so paced clients do not all fire at once.
                long firstDue = start + interval * i / clients;
                running.add(threads.submit(() -> new Client().run(requests, firstRequest, firstDue, interval,
                        measureFrom, end)));
            }
        }
        long total = 0;
        long errors = 0;
        List<Client> done = new ArrayList<>();
        for (Future<Client> client : running) {
            try {
                Client finished = client.get();
                done.add(finished);
                total += finished.count;
                errors += finished.errors;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a load client failed", e.getCause());
            }
        }
        long[] all = new long[Math.toIntExact(total)];
        int at = 0;
        for (Client client : done) {
            System.arraycopy(client.nanos, 0, all, at, client.count);
            at += client.count;
        }
        Arrays.sort(all);
        return new Result(all, measured.toNanos() / 1e9, errors);
    }

    /** One client's loop and what it measured; touched by its own thread only. */
    private static final class Client {
        private long[] nanos = new long[1 << 14];
        private int count;
        private long errors;

        /** @param interval ns between a paced client's requests, or 0 for a closed loop */
        Client run(LongFunction<HttpRequest> requests, long firstRequest, long firstDue, long interval,
                   long measureFrom, long end) throws InterruptedException {
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                long due = firstDue;
                for (long n = firstRequest; ; n++, due += interval) {
                    long now = System.nanoTime();
                    long started = interval == 0 ? now : due;
                    if (started >= end) {
                        return this;
                    }
                    if (started > now) {
                        Thread.sleep(Duration.ofNanos(started - now));
                    }
                    boolean ok;
                    try {
                        // discarding() still reads the whole body off the connection, so the latency covers it.
                        ok = http.send(requests.apply(n), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        ok = false;
                    }
                    long took = System.nanoTime() - started;
                    if (started >= measureFrom) {
                        record(took, ok);
                    }
                }
            }
        }

        private void record(long took, boolean ok) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = took;
            if (!ok) {
                errors++;
            }
        }
    }
}
