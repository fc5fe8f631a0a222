package dev.packline.api.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.api.ApiConfig;
import dev.packline.api.ApiServer;
import dev.packline.api.auth.Publishers;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/packline bench api}: submits per second and latency of {@code POST /v1/jobs} with
 * {@code --channels} channels per request, through the real server (in this process, on loopback),
 * a real HTTP client and a real Redis (embedded unless {@code --redis}). {@code --concurrency}
 * clients each send their next submit as soon as the last is answered (closed loop), after a
 * warm-up that is not counted. Every submit records its request and enqueues its channel jobs, as
 * in production; the publisher has no rate limit or in-flight cap (nothing processes the jobs).
 * Prints one JSON line.
 */
public final class ApiBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Options(String redisUrl, int requests, int warmup, int concurrency, int channels) {
    }

    private ApiBenchmark() {
    }

    static String usage() {
        return """
                Usage: bin/packline bench api [--requests N] [--warmup N] [--concurrency N] [--channels N] [--redis URL]
                  --requests N     measured submits (default 20000)
                  --warmup N       submits before measuring (default 3000)
                  --concurrency N  clients submitting at once (default 32)
                  --channels N     channels per request (default 10)
                  --redis URL      a disposable Redis (its package queue gets every job); default: an embedded one
                Prints one JSON line: submitsPerSecond, channelJobsPerSecond, latency percentiles in ms.""";
    }

    static Options parse(String[] args) {
        String redis = null;
        int requests = 20_000;
        int warmup = 3_000;
        int concurrency = 32;
        int channels = 10;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--redis" -> redis = required(args[i], value);
                case "--requests" -> requests = positive(args[i], value);
                case "--warmup" -> warmup = Math.max(0, Integer.parseInt(required(args[i], value)));
                case "--concurrency" -> concurrency = positive(args[i], value);
                case "--channels" -> channels = positive(args[i], value);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
            i++;
        }
        return new Options(redis, requests, warmup, concurrency, channels);
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(required(option, value));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number of 1 or more");
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench api: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(usage());
            return;
        }
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger(); // Helidon's java.util.logging lines go where ours go
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.out.println(JSON.writeValueAsString(run(options)));
        System.exit(0);
    }

    static ObjectNode run(Options options) throws Exception {
        EmbeddedRedis embedded = options.redisUrl() == null ? EmbeddedRedis.start() : null;
        String url = embedded != null ? embedded.url() : options.redisUrl();
        Path dir = Files.createTempDirectory("packline-bench-api");
        try {
            Path apks = Files.createDirectories(dir.resolve("apks"));
            Path mother = Files.write(apks.resolve("game.apk"), new byte[]{'P', 'K', 3, 4});
            Files.writeString(dir.resolve("worker.yml"), """
                    mothers: {allowedRoots: ["%s"]}
                    stores: {local: {kind: local, path: "%s"}}
                    """.formatted(apks, dir.resolve("store")));
            String token = "bench-" + System.nanoTime();
            Files.writeString(dir.resolve("api.yml"), """
                    redis: {url: "%s"}
                    server: {bind: 127.0.0.1, port: 0}
                    pipeline: {workerConfig: worker.yml}
                    publishers:
                      bench:
                        limits: {submitsPerMinute: 0, maxChannelsInFlight: 0}
                        tokens: {bench: {sha256: %s}}
                    """.formatted(url, Publishers.sha256Hex(token)));
            RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(url, 2), url, Clock.systemUTC(), Retention.DEFAULT, true);
            try {
                new QueueInspector(broker, Clock.systemUTC()).ensureQueue(Stage.PACKAGE.queueName());
            } finally {
                broker.close();
            }
            try (ApiServer api = ApiServer.start(ApiConfig.load(dir.resolve("api.yml"), Map.of()))) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
                HttpRequest submit = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/jobs"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(mother, options.channels()))).build();
                round(http, submit, options.warmup(), options.concurrency());
                Result r = round(http, submit, options.requests(), options.concurrency());
                ObjectNode out = JSON.createObjectNode();
                out.put("bench", "api");
                out.put("requests", options.requests());
                out.put("channelsPerRequest", options.channels());
                out.put("concurrency", options.concurrency());
                out.put("submitsPerSecond", Math.round(options.requests() / r.seconds()));
                out.put("channelJobsPerSecond", Math.round((double) options.requests() * options.channels() / r.seconds()));
                out.put("p50Ms", r.percentileMs(50));
                out.put("p90Ms", r.percentileMs(90));
                out.put("p99Ms", r.percentileMs(99));
                out.put("maxMs", r.percentileMs(100));
                out.put("errors", r.errors());
                out.put("cores", Runtime.getRuntime().availableProcessors());
                out.put("java", Runtime.version().toString());
                out.put("redis", embedded != null ? "embedded" : RedisConnector.describe(url));
                return out;
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    record Result(long[] nanos, double seconds, int errors) {
        double percentileMs(int percentile) {
            if (nanos.length == 0) {
                return 0;
            }
            int index = Math.min(nanos.length - 1, (int) Math.ceil(percentile / 100.0 * nanos.length) - 1);
            return Math.round(nanos[Math.max(0, index)] / 10_000.0) / 100.0;
        }
    }

    /** {@code count} submits by {@code concurrency} closed-loop clients; latencies sorted. */
    private static Result round(HttpClient http, HttpRequest submit, int count, int concurrency) throws Exception {
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(submit, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 202 && errors.getAndIncrement() == 0) {
                                System.err.println("bench api: a submit answered " + response.statusCode() + ": " + response.body());
                            }
                        } catch (Exception e) {
                            if (errors.getAndIncrement() == 0) {
                                System.err.println("bench api: a submit failed: " + e);
                            }
                        }
                        nanos[i] = System.nanoTime() - t0;
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        return new Result(nanos, seconds, errors.get());
    }

    private static String body(Path mother, int channels) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("appId", "com.example.game");
        body.put("mother", mother.toUri().toString());
        var list = body.putArray("channels");
        for (int i = 0; i < channels; i++) {
            list.add("store-" + i);
        }
        body.put("outputStore", "local");
        body.put("outputPrefix", "game/1.0/");
        return JSON.writeValueAsString(body);
    }
}
