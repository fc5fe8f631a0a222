package dev.packline.update.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a check route with N simulated clients, each a virtual thread sending its next check as
 * soon as the last is answered (closed loop), over the JDK's HTTP/1.1 client on loopback: a warm-up
 * of 3 s that is not counted, then the measured duration. Latencies are kept per client and merged.
 */
final class CheckLoad {
    private static final Duration WARMUP = Duration.ofSeconds(3);

    record Result(long checks, long errors, double seconds, long[] latencyNanos) {
        double perSecond() {
            return checks / seconds;
        }

        double percentileMs(double p) {
            if (latencyNanos.length == 0) {
                return 0;
            }
            int index = Math.min(latencyNanos.length - 1, (int) Math.ceil(latencyNanos.length * p / 100) - 1);
            return Math.round(latencyNanos[Math.max(0, index)] / 10_000.0) / 100.0;
        }
    }

    private CheckLoad() {
    }

    static Result drive(int port, BenchCatalogue catalogue, int connections, Duration duration) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long warmEnd = System.nanoTime() + WARMUP.toNanos();
        long end = warmEnd + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[][]> holders = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[][] mine = new long[1][];
            Thread t = Thread.ofVirtual().start(() -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                while (true) {
                    long start = System.nanoTime();
                    if (start >= end) {
                        break;
                    }
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + catalogue.randomCheckPath()))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (start >= warmEnd) {
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - start;
                    }
                }
                mine[0] = Arrays.copyOf(latencies, n);
            });
            clients.add(t);
            holders.add(mine);
        }
        for (Thread t : clients) {
            t.join();
        }
        long total = 0;
        for (long[][] h : holders) {
            total += h[0].length;
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (long[][] h : holders) {
            System.arraycopy(h[0], 0, all, at, h[0].length);
            at += h[0].length;
        }
        Arrays.sort(all);
        return new Result(all.length, errors.get(), duration.toNanos() / 1e9, all);
    }
}
