package dev.packline.demo.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.demo.Configs;
import dev.packline.demo.ServiceProcesses;
import dev.packline.demo.Submits;
import dev.packline.demo.WebhookReceiver;
import dev.packline.packaging.ApkInspector;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleKey;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.storage.s3proxy.CloudFixture;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform as the system tests run it, every part a real process or server: the producer API
 * and a supervisor with two worker processes (started from the built jars, as {@code bin/packline
 * demo} does), the Redis they are given, an object server hosted in this JVM (S3Proxy behind the
 * OSS or KS3 dialect adapter of the storage tests) that the workers reach as a store of kind
 * {@code oss} or {@code ks3}, and a webhook receiver on loopback that checks signatures.
 *
 * <p>Requests go through the API's HTTP routes with a publisher's bearer token, exactly as a
 * publisher's CI would send them; outputs are read back from the object server over HTTP.
 */
final class Platform implements AutoCloseable {
    static final String STORE = "system-store";
    static final String PREFIX = "system/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TERMINAL = List.of("done", "partly_failed", "failed", "cancelled");

    private final Path dir;
    private final Dialect dialect;
    private final String bucket;
    private final String token = "system-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    /** A second publisher's token: {@link #HOTFIX_PUBLISHER}, which may send urgent requests. */
    private final String hotfixToken = "hotfix-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    /** Which publisher's token reads each request (another publisher's request answers 404). */
    private final Map<String, String> tokenOf = new java.util.concurrent.ConcurrentHashMap<>();
    static final String HOTFIX_PUBLISHER = "hotfix-team";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final WebhookReceiver webhook;
    private final ServiceProcesses services;
    private final int apiPort;
    private final Process supervisor;
    private final Path older;
    private final Path newer;
    private final String appId;

    /**
     * Starts everything and waits until the API answers.
     *
     * @param workerEnv {@code PACKLINE_*} overrides for the API and the workers (timings, attempts), as an operator would set them
     */
    static Platform start(Path home, Path dir, String redisUrl, Dialect dialect, Map<String, String> workerEnv) throws Exception {
        return new Platform(home, dir, redisUrl, dialect, workerEnv);
    }

    private Platform(Path home, Path dir, String redisUrl, Dialect dialect, Map<String, String> env) throws Exception {
        this.dir = dir;
        this.dialect = dialect;
        this.bucket = CloudFixture.newBucket();
        Path mothers = Files.createDirectories(dir.resolve("mothers"));
        SampleKey key = SampleKey.generate("packline-system");
        // two releases of one app, small enough that 200 channels cost seconds: whole-object uploads (zero copy needs 5 MiB)
        older = new SampleApkBuilder().sdk(21, 33).key(key).payloadBytes(384 * 1024).seed(11).build(mothers.resolve("release-1.apk"));
        newer = new SampleApkBuilder().sdk(21, 33).key(key).payloadBytes(384 * 1024).seed(12).build(mothers.resolve("release-2.apk"));
        appId = ApkInspector.inspect(newer).manifest().packageName();

        String secret = "whsec_" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(24));
        webhook = WebhookReceiver.start(secret);
        Path keyId = Files.writeString(dir.resolve("store-key-id"), "system-key-id\n");
        Path keySecret = Files.writeString(dir.resolve("store-key-secret"), "system-key-secret\n");
        String stores = """
                  %s:
                    kind: %s
                    endpoint: "%s"
                    bucket: %s
                    accessKeyId: "file:%s"
                    accessKeySecret: "file:%s"
                    pathStyle: true
                    partSize: 5MiB
                    multipartThreshold: 5MiB
                    copyPartSize: 5MiB
                    concurrency: 8
                    requestTimeout: 20s
                """.formatted(STORE, dialect.name().toLowerCase(java.util.Locale.ROOT), CloudFixture.adapter(dialect).endpoint(), bucket, keyId, keySecret);
        Path workerConfig = new Configs.WorkerFile(EmbeddedRedis.freePortBlock(1 + 3), webhook.url(), secret, stores).write(dir);
        apiPort = EmbeddedRedis.freePort();
        Path apiConfig = Configs.writeApi(dir, apiPort, Configs.sharedFile(dir), sha256(token));
        Files.writeString(apiConfig, """
                  %s:
                    limits: {priorities: [urgent, normal], maxUrgentChannels: 20}
                    tokens:
                      ci: {sha256: %s}
                """.formatted(HOTFIX_PUBLISHER, sha256(hotfixToken)), java.nio.file.StandardOpenOption.APPEND);
        createQueues(redisUrl);
        services = new ServiceProcesses(home, dir, dir.resolve("logs"));
        try {
            services.start("api", "producer-api", "dev.packline.api.ApiMain",
                    List.of("--config", apiConfig.toString(), "--redis", redisUrl, "--port", Integer.toString(apiPort)), env);
            supervisor = services.start("workers", "worker", "dev.packline.worker.WorkerMain",
                    List.of("--supervise", "--config", workerConfig.toString(), "--redis", redisUrl), env);
            services.awaitHealthy(URI.create("http://127.0.0.1:" + apiPort + "/healthz"), Duration.ofSeconds(120));
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** What an admin does once per deployment: version 1 of each stage's queue, current. */
    private static void createQueues(String redisUrl) {
        try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redisUrl, 2), redisUrl, Clock.systemUTC(), Retention.DEFAULT, true)) {
            QueueInspector queues = new QueueInspector(broker, Clock.systemUTC());
            for (Stage stage : Stage.values()) {
                queues.ensureQueue(stage.queueName());
            }
        }
    }

    /** The channel names of a request of {@code count} channels: mostly ASCII, every seventh Chinese. */
    static List<String> channelNames(String tag, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add((i % 7 == 3 ? "应用市场-" : tag + "-") + String.format("%03d", i));
        }
        return names;
    }

    /**
     * POST /v1/jobs: the new release in these channels, a patch from the older one, the webhook when
     * it ends. Retried with the same Idempotency-Key while the API answers 503 (Redis restarting).
     */
    String submit(String idempotencyKey, List<String> channels) throws IOException, InterruptedException {
        return submitAs(token, idempotencyKey, channels, null);
    }

    /** The same as {@link #submit}, by the second publisher ({@link #HOTFIX_PUBLISHER}) at priority urgent. */
    String submitUrgentHotfix(String idempotencyKey, List<String> channels) throws IOException, InterruptedException {
        return submitAs(hotfixToken, idempotencyKey, channels, "urgent");
    }

    private String submitAs(String bearer, String idempotencyKey, List<String> channels, String priority) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        if (priority != null) {
            body.put("priority", priority);
        }
        body.put("appId", appId);
        body.put("mother", newer.toUri().toString());
        ArrayNode list = body.putArray("channels");
        for (int i = 0; i < channels.size(); i++) {
            if (i == 1) {
                list.addObject().put("name", channels.get(i)).putObject("extra").put("campaign", "system-test");
            } else {
                list.add(channels.get(i));
            }
        }
        body.put("outputStore", STORE);
        body.put("outputPrefix", PREFIX);
        body.put("nameTemplate", "{channel}.apk");
        body.putArray("diffAgainst").add(older.toUri().toString());
        body.putArray("notifyChannels").add("demo-webhook");
        // a large submit on a loaded machine may take longer than a status read: a CI client would wait for it too
        HttpRequest submit = api("/v1/jobs", bearer).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        String id = Submits.submit(http, submit);
        tokenOf.put(id, bearer);
        return id;
    }

    /** Waits until at least {@code ended} channels of the request have ended, checking the services stay up. */
    void awaitChannelsEnded(String requestId, int ended, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive();
            Optional<JsonNode> status = status(requestId);
            if (status.isPresent() && status.get().path("channels").path("ended").asInt() >= ended) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(ended + " channels did not end within " + timeout.toSeconds() + " s; logs in " + logs());
    }

    /** GET /v1/jobs/{id}; empty while the API cannot answer (503 while Redis restarts, or a dropped connection). */
    Optional<JsonNode> status(String requestId) throws IOException, InterruptedException {
        try {
            HttpResponse<String> response = http.send(api("/v1/jobs/" + requestId, tokenOf.getOrDefault(requestId, token)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 200) {
                return Optional.of(JSON.readTree(response.body()));
            }
            if (response.statusCode() >= 500) {
                return Optional.empty();
            }
            throw new IOException("GET /v1/jobs/" + requestId + " answered " + response.statusCode() + ": " + response.body());
        } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
            return Optional.empty();
        }
    }

    /**
     * Waits until the request has ended, its patch has ended and, when it is done, its notification
     * arrived; fails when the deadline passes or a service exits.
     */
    JsonNode awaitEnded(String requestId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            services.checkAlive();
            Optional<JsonNode> status = status(requestId);
            if (status.isPresent()) {
                last = status.get();
                boolean ended = TERMINAL.contains(last.path("state").asText());
                boolean patchesEnded = true;
                for (JsonNode diff : last.path("diffs")) {
                    patchesEnded &= List.of("done", "failed", "dead").contains(diff.path("state").asText());
                }
                if (ended && patchesEnded && (webhook.received(requestId) || !"done".equals(last.path("state").asText()))) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("request " + requestId + " did not end within " + timeout.toSeconds() + " s; last status: "
                + (last == null ? "none" : summary(last)) + "; logs in " + services.logs());
    }

    static String summary(JsonNode status) {
        return "state " + status.path("state").asText() + ", channels " + status.path("channels") + ", stages " + status.path("stages")
                + ", diffs " + status.path("diffs");
    }

    WebhookReceiver webhook() {
        return webhook;
    }

    /** The worker processes running now: the supervisor's children. */
    List<ProcessHandle> workerProcesses() {
        return supervisor.toHandle().children().filter(ProcessHandle::isAlive).toList();
    }

    void checkAlive() throws IOException {
        services.checkAlive();
    }

    Path logs() {
        return services.logs();
    }

    Path olderMother() {
        return older;
    }

    Path newerMother() {
        return newer;
    }

    /** Every object key in the store's bucket, read from the object server's own listing. */
    List<String> storedKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            PageSet<? extends StorageMetadata> page = CloudFixture.server().blobStore().list(bucket, options);
            for (StorageMetadata m : page) {
                if (m.getType() == StorageType.BLOB) {
                    keys.add(m.getName());
                }
            }
            marker = page.getNextMarker();
        } while (marker != null);
        return keys;
    }

    /** Downloads an object with a plain GET through the dialect adapter, as a client fetching its channel APK would. */
    Path download(String key, Path to) throws Exception {
        URI url = URI.create(CloudFixture.adapter(dialect).endpoint() + "/" + bucket + new URI(null, null, "/" + key, null).getRawPath());
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode());
            }
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }

    private HttpRequest.Builder api(String path, String bearer) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (services != null) {
            services.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }
}
