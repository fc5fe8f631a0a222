package dev.packline.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.packaging.ApkInspector;
import dev.packline.packaging.ChannelInfo;
import dev.packline.packaging.ChannelReader;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.Patcher;
import dev.packline.packaging.SignatureReport;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleKey;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One run of the demo: the services as child processes around an embedded Redis, a request, its
 * progress, and an independent check of what came out. {@link #close()} stops everything, once,
 * whether the run ended, failed or was interrupted (Ctrl-C runs it from a shutdown hook).
 */
final class Demo implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANNEL_NAMES = List.of("huawei", "xiaomi", "oppo", "vivo", "华为应用市场", "小米应用商店",
            "应用宝", "百度手机助手", "360手机助手", "豌豆荚", "taptap", "bilibili", "魅族", "联想乐商店", "googleplay", "samsung");
    private static final Duration REQUEST_DEADLINE = Duration.ofMinutes(5);

    private final Path home;
    private final Path dir;
    private final boolean temporaryDir;
    private final int channelCount;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServiceProcesses services;
    private final String token = "demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    private final Progress progress;
    private EmbeddedRedis redis;
    private WebhookReceiver webhook;
    private StoreFiles storeFiles;
    private int apiPort;
    private int metricsPort;
    private boolean succeeded;
    private boolean keepFiles;
    private boolean closed;

    Demo(Path home, Path dir, int channelCount, PrintStream out) throws IOException {
        this.home = home;
        this.temporaryDir = dir == null;
        this.dir = dir == null ? Files.createTempDirectory("packline-demo-") : Files.createDirectories(dir).toAbsolutePath();
        this.channelCount = channelCount;
        this.out = out;
        this.progress = new Progress(out, System.console() != null);
    }

    /** Runs the whole demo; true when every output verified. */
    boolean run() throws Exception {
        long started = System.nanoTime();
        out.println("Packline demo in " + dir);
        redis = EmbeddedRedis.start();
        createQueues();
        step("Redis", "embedded redis-server at " + redis.url() + ", the pipeline's queues created (version 1 of each)");

        Path mothers = Files.createDirectories(dir.resolve("mothers"));
        SampleKey key = SampleKey.generate("packline-demo");
        Path older = new SampleApkBuilder().sdk(21, 33).key(key).payloadBytes(3L << 20).seed(1).build(mothers.resolve("release-1.apk"));
        Path newer = new SampleApkBuilder().sdk(21, 33).key(key).payloadBytes(3L << 20).seed(2).build(mothers.resolve("release-2.apk"));
        String appId = ApkInspector.inspect(newer).manifest().packageName();
        step("APKs", "two releases of a signed sample APK (v1+v2+v3, " + Files.size(newer) / 1024 + " KiB): " + mothers);

        String secret = "whsec_" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(24));
        webhook = WebhookReceiver.start(secret);
        apiPort = EmbeddedRedis.freePort();
        metricsPort = EmbeddedRedis.freePort();
        storeFiles = StoreFiles.serve(dir.resolve("store")); // the release step's download URLs
        Path workerConfig = new Configs.WorkerFile(metricsPort, webhook.url(), secret, """
                  local:
                    kind: local
                    path: %s
                    publicBaseUrl: %s
                """.formatted(dir.resolve("store"), storeFiles.url())).write(dir);
        Path apiConfig = Configs.writeApi(dir, apiPort, Configs.sharedFile(dir), sha256(token));
        services = new ServiceProcesses(home, dir, dir.resolve("logs"));
        services.start("api", "producer-api", "dev.packline.api.ApiMain",
                List.of("--config", apiConfig.toString(), "--redis", redis.url(), "--port", Integer.toString(apiPort)));
        services.start("workers", "worker", "dev.packline.worker.WorkerMain",
                List.of("--supervise", "--config", workerConfig.toString(), "--redis", redis.url()));
        int updatePort = EmbeddedRedis.freePort();
        services.start("update-api", "update-api", "dev.packline.update.UpdateMain", List.of("--config",
                home.resolve("config/update-api.yml").toString(), "--redis", redis.url(), "--port", Integer.toString(updatePort)));
        services.awaitHealthy(URI.create("http://127.0.0.1:" + apiPort + "/healthz"), Duration.ofSeconds(90));
        services.awaitHealthy(URI.create("http://127.0.0.1:" + updatePort + "/healthz"), Duration.ofSeconds(90));
        step("services", "API on http://127.0.0.1:" + apiPort + ", a supervisor with 2 worker processes, update API on http://127.0.0.1:"
                + updatePort + ", store " + dir.resolve("store"));

        String requestId = submit(appId, newer, older);
        step("request", requestId + ": " + channelCount + " channels, a patch from release 1, a webhook when done");
        JsonNode status = watch(requestId);

        Check check = new Check(dir.resolve("store"), older, newer);
        check.channels(status.path("results"));
        check.patches(status.path("diffs"));
        double seconds = (System.nanoTime() - started) / 1e9;
        succeeded = "done".equals(status.path("state").asText()) && check.ok() && webhook.verifiedFor(requestId)
                && new ReleaseStep(http, URI.create("http://127.0.0.1:" + apiPort), token, URI.create("http://127.0.0.1:" + updatePort), out)
                        .run(appId, requestId, CHANNEL_NAMES.get(0), sha256(older));
        out.println();
        out.printf("%s in %.1f s: request %s is %s.%n", succeeded ? "Done" : "FAILED", seconds, requestId, status.path("state").asText());
        check.report(out);
        out.println("  notification: " + webhook.describe(requestId));
        out.println();
        out.println("Look around" + (succeeded ? "" : " (logs: " + dir.resolve("logs") + ")") + ":");
        out.println("  curl -s -H 'Authorization: Bearer " + token + "' http://127.0.0.1:" + apiPort + "/v1/jobs/" + requestId);
        out.println("  bin/packline admin --redis " + redis.url() + " queues");
        out.println("  bin/packline admin --redis " + redis.url() + " workers");
        out.println("  metrics: http://127.0.0.1:" + apiPort + "/metrics (API), http://127.0.0.1:" + metricsPort
                + "/metrics (supervisor), ports " + (metricsPort + 1) + " and " + (metricsPort + 2) + " (workers)");
        out.println("  logs: " + dir.resolve("logs"));
        if (!succeeded) {
            keepFiles = true;
        }
        return succeeded;
    }

    /** What an admin does once per deployment ({@code bin/packline admin version new --queue NAME}): workers serve existing queues. */
    private void createQueues() {
        try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 2), redis.url(), Clock.systemUTC(),
                Retention.DEFAULT, true)) {
            QueueInspector queues = new QueueInspector(broker, Clock.systemUTC());
            for (Stage stage : Stage.values()) {
                queues.ensureQueue(stage.queueName());
            }
        }
    }

    /** Leaves the services and files up after the run, and starts the web console beside them (its address and sign-in printed). */
    void keepRunning() throws IOException, InterruptedException {
        keepFiles = true;
        out.println(DemoConsole.start(services, home, redis.url()).describe());
    }

    /** What happens to the services and files when the demo ends without --keep-running. */
    String endingNote() {
        boolean removed = temporaryDir && !keepFiles;
        return "The services stop now" + (removed ? " and " + dir + " is removed" : "") + ": --keep-running leaves them up for the commands above"
                + (removed ? ", --dir DIR keeps the files." : ".");
    }

    private void step(String what, String detail) {
        out.printf("  %-9s %s%n", what, detail);
    }

    private String submit(String appId, Path newer, Path older) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("appId", appId);
        body.put("mother", newer.toUri().toString());
        ArrayNode channels = body.putArray("channels");
        for (int i = 0; i < channelCount; i++) {
            String name = CHANNEL_NAMES.get(i % CHANNEL_NAMES.size()) + (i < CHANNEL_NAMES.size() ? "" : "-" + (i / CHANNEL_NAMES.size() + 1));
            if (i == 2) {
                channels.addObject().put("name", name).putObject("extra").put("campaign", "spring-festival");
            } else {
                channels.add(name);
            }
        }
        body.put("outputStore", "local");
        body.put("outputPrefix", "demo/");
        body.putArray("diffAgainst").add(older.toUri().toString());
        body.putArray("notifyChannels").add("demo-webhook");
        HttpRequest submit = api("/v1/jobs").header("Content-Type", "application/json").header("Idempotency-Key", "demo-" + dir.getFileName())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return Submits.submit(http, submit);
    }

    /** Polls the request until it has finished and its notification arrived, drawing the progress. */
    private JsonNode watch(String requestId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + REQUEST_DEADLINE.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(api("/v1/jobs/" + requestId).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IOException("GET /v1/jobs/" + requestId + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode status = JSON.readTree(response.body());
            boolean finished = List.of("done", "partly_failed", "failed", "cancelled").contains(status.path("state").asText());
            boolean notified = webhook.received(requestId);
            progress.draw(status, notified);
            // a request's patches are made once per pair of mothers, beside its channels: wait for them too
            boolean patchesEnded = true;
            for (JsonNode diff : status.path("diffs")) {
                patchesEnded &= List.of("done", "failed", "dead").contains(diff.path("state").asText());
            }
            if (finished && patchesEnded && (notified || !"done".equals(status.path("state").asText()))) {
                progress.finish();
                return status;
            }
            if (System.nanoTime() > deadline) {
                progress.finish();
                throw new IOException("request " + requestId + " did not finish within " + REQUEST_DEADLINE.toMinutes() + " minutes; see "
                        + dir.resolve("logs"));
            }
            try {
                services.checkAlive();
            } catch (IOException e) {
                progress.finish();
                throw e;
            }
            Thread.sleep(250);
        }
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (services != null) {
            services.close();
        }
        if (webhook != null) {
            webhook.close();
        }
        if (storeFiles != null) {
            storeFiles.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (temporaryDir && !keepFiles) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a temporary directory left behind is no failure
            }
        }
    }

    /** What the demo checks itself, independently of what the workers reported. */
    private static final class Check {
        private final Path store;
        private final Path older;
        private final Path newer;
        private final List<String> problems = new ArrayList<>();
        private int channels;
        private int verified;
        private int patches;
        private int patchesApplied;
        private Path firstChannel;
        private Path firstPatch;

        Check(Path store, Path older, Path newer) {
            this.store = store;
            this.older = older;
            this.newer = newer;
        }

        void channels(JsonNode results) {
            for (JsonNode result : results) {
                channels++;
                String name = result.path("channel").asText();
                if (!"done".equals(result.path("outcome").asText())) {
                    problems.add("channel " + name + ": " + result.path("outcome").asText() + " " + result.path("error").asText(""));
                    continue;
                }
                Path apk = store.resolve(result.path("objectKey").asText());
                try {
                    SignatureReport report = ApkInspector.verify(apk);
                    Optional<ChannelInfo> info = ChannelReader.read(apk);
                    if (!report.verified()) {
                        problems.add(apk.getFileName() + " does not verify: " + report.errors());
                    } else if (info.isEmpty() || !info.get().name().equals(name)) {
                        problems.add(apk.getFileName() + " reads back as " + info.map(ChannelInfo::name).orElse("no channel"));
                    } else if (!sha256(apk).equals(result.path("sha256").asText())) {
                        problems.add(apk.getFileName() + " is not the file the worker reported");
                    } else {
                        verified++;
                        if (firstChannel == null) {
                            firstChannel = apk;
                        }
                    }
                } catch (PackagingException | IOException e) {
                    problems.add(apk.getFileName() + ": " + e.getMessage());
                }
            }
        }

        void patches(JsonNode diffs) {
            for (JsonNode diff : diffs) {
                patches++;
                if (!"done".equals(diff.path("state").asText())) {
                    problems.add("patch: " + diff.path("state").asText() + " " + diff.path("error").asText(""));
                    continue;
                }
                Path patch = store.resolve(diff.path("objectKey").asText());
                try {
                    Path rebuilt = Files.createTempFile(patch.getParent(), "rebuilt-", ".apk");
                    try {
                        Patcher.withDefaultBudget().apply(older, patch, rebuilt);
                        if (sha256(rebuilt).equals(sha256(newer))) {
                            patchesApplied++;
                            firstPatch = patch;
                        } else {
                            problems.add("patch " + patch.getFileName() + " does not rebuild release 2");
                        }
                    } finally {
                        Files.deleteIfExists(rebuilt);
                    }
                } catch (PackagingException | IOException e) {
                    problems.add("patch " + patch.getFileName() + ": " + e.getMessage());
                }
            }
            if (patches == 0) {
                problems.add("no patch was reported");
            }
        }

        boolean ok() {
            return problems.isEmpty() && channels > 0;
        }

        void report(PrintStream out) {
            out.printf("  channel APKs: %d of %d verified by apksig with their channel read back%s%n", verified, channels,
                    firstChannel == null ? "" : ", in " + firstChannel.getParent());
            out.printf("  patch: %d of %d rebuilds release 2 from release 1 exactly%s%n", patchesApplied, patches,
                    firstPatch == null ? "" : ": " + firstPatch);
            problems.stream().limit(20).forEach(p -> out.println("  PROBLEM: " + p));
        }
    }
}
