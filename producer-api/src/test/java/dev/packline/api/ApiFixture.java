package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.api.auth.Publishers;
import dev.packline.queue.JobRecord;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real API on a free loopback port, on the tests' real Redis (TestRedis), configured from YAML
 * files written to a temp directory like an operator's: a worker configuration with an allowed
 * mother root, one local store and two notification channels, and an API configuration with three
 * publishers (one with an app-limited token). Publisher names are unique per fixture, so the
 * per-publisher keys (index, rate) of one test never meet another's on a shared Redis.
 */
final class ApiFixture implements AutoCloseable {
    private static final AtomicInteger FIXTURES = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Path apks;
    final Path mother;
    final Path apiYml;
    final String acme;
    final String rival;
    final String limited;
    final String acmeToken = "acme-token-" + System.nanoTime();
    final String acmeGameOnlyToken = "acme-game-only-" + System.nanoTime();
    final String rivalToken = "rival-token-" + System.nanoTime();
    final String limitedToken = "limited-token-" + System.nanoTime();
    final ApiServer api;
    private final String serverExtra;
    private final String sseExtra;
    final OpenApiContract contract = new OpenApiContract();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC());
    final QueueInspector queues = new QueueInspector(broker, Clock.systemUTC());

    ApiFixture(Path dir) throws IOException {
        this(dir, "submitsPerMinute: 6000, submitBurst: 1000, maxChannelsInFlight: 0", "");
    }

    /** {@code acmeLimits} is the flow-style body of acme's limits; {@code apiExtra} is appended to api.yml. */
    ApiFixture(Path dir, String acmeLimits, String apiExtra) throws IOException {
        this(dir, acmeLimits, apiExtra, "");
    }

    /** As above; {@code serverExtra} is more flow-style keys of the {@code server} section ({@code "idleTimeout: 1s"}). */
    ApiFixture(Path dir, String acmeLimits, String apiExtra, String serverExtra) throws IOException {
        this(dir, acmeLimits, apiExtra, serverExtra, "");
    }

    /** As above; {@code sseExtra} is more flow-style keys of the {@code sse} section ({@code "maxDuration: 1s"}). */
    ApiFixture(Path dir, String acmeLimits, String apiExtra, String serverExtra, String sseExtra) throws IOException {
        this.dir = dir;
        this.serverExtra = serverExtra;
        this.sseExtra = sseExtra;
        int n = FIXTURES.incrementAndGet();
        String suffix = ProcessHandle.current().pid() + "-" + n + "-" + System.nanoTime() % 100_000;
        acme = "acme-" + suffix;
        rival = "rival-" + suffix;
        limited = "limited-" + suffix;
        apks = Files.createDirectories(dir.resolve("apks"));
        mother = Files.write(apks.resolve("game-1.0.apk"), new byte[]{'P', 'K', 3, 4});
        Files.writeString(dir.resolve("worker.yml"), """
                redis:
                  url: %s
                queues:
                  package: {concurrency: 1}
                mothers:
                  allowedRoots: ["%s"]
                  allowedHosts: [cdn.example.com, localhost, "93.184.216.34", "192.168.10.20", "100.64.1.1"]
                stores:
                  local: {kind: local, path: "%s"}
                notifications:
                  ops-log: {kind: log}
                  studio-log: {kind: log}
                pipeline:
                  jobMaxAttempts: 3
                  jobTimeout: 10m
                  requestRetention: 2d
                """.formatted(TestRedis.url(), apks, dir.resolve("store")));
        apiYml = dir.resolve("api.yml");
        writeApiConfig(acmeLimits, apiExtra, acmeToken);
        queues.ensureQueue("package");
        api = ApiServer.start(ApiConfig.load(apiYml, Map.of()));
    }

    void writeApiConfig(String acmeLimits, String apiExtra, String acmeMainToken) throws IOException {
        Files.writeString(apiYml, """
                redis:
                  url: %s
                server: {bind: 127.0.0.1, port: 0, maxBodyBytes: 256KiB%s}
                sse: {pollInterval: 100ms, heartbeat: 2s%s}
                pipeline:
                  shared: worker.yml
                limits:
                  maxChannelsPerRequest: 2000
                logging:
                  format: console
                publishers:
                  %s:
                    limits: {%s}
                    tokens:
                      ci: {sha256: %s}
                      game-only: {sha256: %s, apps: [com.acme.game]}
                  %s:
                    limits: {submitsPerMinute: 0, maxChannelsInFlight: 0}
                    tokens:
                      ci: {sha256: %s}
                  %s:
                    limits: {submitsPerMinute: 60, submitBurst: 2, maxChannelsInFlight: 25}
                    tokens:
                      ci: {sha256: %s}
                %s
                """.formatted(TestRedis.url(), serverExtra.isEmpty() ? "" : ", " + serverExtra, sseExtra.isEmpty() ? "" : ", " + sseExtra, acme, acmeLimits, Publishers.sha256Hex(acmeMainToken), Publishers.sha256Hex(acmeGameOnlyToken),
                rival, Publishers.sha256Hex(rivalToken), limited, Publishers.sha256Hex(limitedToken), apiExtra));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    /** A valid submit body for {@code channels} channels. */
    String body(int channels) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < channels; i++) {
            list.append(i == 0 ? "" : ",").append(i % 3 == 0 ? "{\"name\":\"华为-" + i + "\",\"extra\":{\"campaign\":\"spring\"}}" : "\"store-" + i + "\"");
        }
        return """
                {"appId": "com.acme.game", "mother": "%s", "channels": [%s], "format": "walle",
                 "outputStore": "local", "outputPrefix": "game/1.0/", "notifyChannels": ["ops-log"], "notifyLevel": "failures"}
                """.formatted(mother.toUri(), list);
    }

    Response post(String token, String body) throws Exception {
        return post(token, body, null);
    }

    Response post(String token, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/jobs")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send(b.build());
    }

    Response get(String token, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    Response delete(String token, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).DELETE().build());
    }

    /** Sends a call; its answer must conform to the OpenAPI document (any route's test holds the document to what the API does). */
    Response send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        String contentType = r.headers().firstValue("Content-Type").orElse(null);
        if (contentType != null && contentType.startsWith("application/json")) {
            json = JSON.readTree(r.body());
        }
        String path = request.uri().getRawPath();
        if (contract.documents(request.method(), path)) {
            List<String> problems = contract.checkResponse(request.method(), path, r.statusCode(), contentType, json != null ? json
                    : r.body().isEmpty() ? null : JSON.getNodeFactory().textNode(r.body()), true);
            if (!problems.isEmpty()) {
                throw new AssertionError("the answer does not match the OpenAPI document: " + problems);
            }
        }
        return new Response(r.statusCode(), json, r.body(), r.headers().map());
    }

    record Response(int status, JsonNode json, String text, Map<String, java.util.List<String>> headers) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().getFirst()).findFirst();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    QueueVersion packageQueue() {
        return queues.current("package").orElseThrow();
    }

    Optional<JobRecord> packageJob(String requestId, int index) {
        for (QueueVersion v : broker.versions("package")) {
            Optional<JobRecord> job = queues.job(v, "pkg:" + requestId + ":" + index);
            if (job.isPresent()) {
                return job;
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        api.close();
        broker.close();
    }
}
