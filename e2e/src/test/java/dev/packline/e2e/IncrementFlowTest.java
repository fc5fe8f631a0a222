package dev.packline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import dev.packline.api.ApiConfig;
import dev.packline.api.ApiServer;
import dev.packline.apkpatch.ApkPatchApplier;
import dev.packline.increments.BsdiffGzApplier;
import dev.packline.increments.ChunkApplier;
import dev.packline.increments.OfflinePatchApplier;
import dev.packline.notify.Alert;
import dev.packline.notify.AlertChannel;
import dev.packline.packaging.ApkInspector;
import dev.packline.packaging.ChannelReader;
import dev.packline.packaging.offline.LoadingStrategy;
import dev.packline.packaging.offline.OfflinePackageWriter;
import dev.packline.packaging.offline.PackageRole;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleArchive;
import dev.packline.packaging.sample.SampleKey;
import dev.packline.packaging.sample.SampleText;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.settings.Settings;
import dev.packline.update.UpdateConfig;
import dev.packline.update.UpdateServer;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Increments through the real pipeline and the update API, over real HTTP on one real Redis: a
 * worker, the producer API and the update API in-process, the store's directory served by a web
 * server. A JS bundle submitted in two versions gets its increments on the diff queue, a client on
 * version 1 is offered one in the format it declares, downloads it and rebuilds version 2 byte for
 * byte with the reference applier. A channel client of an APK release gets a zip-aware patch from
 * its own channel's earlier APK, made on demand, which clients/java-apkpatch applies into the exact
 * new channel APK that apksig verifies.
 */
class IncrementFlowTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AlertChannel NO_ALERTS = new AlertChannel() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public void send(Alert alert) {
        }
    };

    @TempDir
    Path temp;
    private HttpServer files;
    private WorkerApp worker;
    private ApiServer api;
    private UpdateServer updates;
    private String token;
    private String app;

    @BeforeEach
    void start() throws Exception {
        Path store = Files.createDirectories(temp.resolve("store")).toRealPath();
        files = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), store,
                SimpleFileServer.OutputLevel.NONE);
        files.start();
        String publisher = "inc-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        token = "inc-token-" + System.nanoTime();
        app = "com.inc." + publisher.replace('-', '.');
        Path workerYml = Files.writeString(temp.resolve("worker.yml"), """
                redis: {url: "%s"}
                queues:
                  package: {concurrency: 2}
                  upload: {concurrency: 2}
                  diff: {concurrency: 2}
                  notify: {concurrency: 1}
                metrics: {port: 0}
                logging: {format: console}
                mothers: {cacheDir: "%s", cacheMaxBytes: 1GiB, allowedRoots: ["%s"]}
                stores:
                  local: {kind: local, path: "%s", publicBaseUrl: "http://127.0.0.1:%d/"}
                pipeline: {workDir: "%s", jobMaxAttempts: 3, jobTimeout: 2m}
                """.formatted(TestRedis.url(), temp.resolve("cache"), temp.toRealPath(), store, files.getAddress().getPort(),
                temp.resolve("work")));
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC())) {
            QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
            for (Stage stage : Stage.values()) {
                inspector.ensureQueue(stage.queueName());
            }
        }
        worker = new WorkerApp(WorkerConfig.read(Settings.load(workerYml, Map.of())), PackagingTools.channelBuilder(), PackagingTools.patchMaker(),
                NO_ALERTS, Clock.systemUTC()).start();
        api = ApiServer.start(ApiConfig.load(ApiFiles.apiYml(temp, publisher, token), Map.of()));
        updates = UpdateServer.start(UpdateConfig.read(Settings.parse("update-api.yml", """
                redis: {url: "%s"}
                server: {port: 0}
                logging: {format: console}
                snapshot: {pollInterval: 200ms}
                increments: {store: local, prefix: "on-demand/", recheck: 200ms}
                """.formatted(TestRedis.url()), Map.of())));
    }

    @AfterEach
    void stop() {
        for (AutoCloseable part : new AutoCloseable[]{updates, api, worker}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (files != null) {
            files.stop(0);
        }
    }

    @Test
    void aBundleClientOnVersionOneRebuildsVersionTwoFromTheIncrementItDeclared() throws Exception {
        byte[] v1 = bundle(1);
        byte[] v2 = bundle(2);
        String key = deployment();
        String first = submitBundle("1.0.0", Files.write(temp.resolve("b1.js"), v1));
        JsonNode stored1 = await("/v1/artifacts/" + first, s -> s.get("state").asText().equals("stored"));
        String second = submitBundle("1.0.1", Files.write(temp.resolve("b2.js"), v2));
        JsonNode stored2 = await("/v1/artifacts/" + second, s -> s.get("state").asText().equals("stored") && s.get("increments").size() == 2
                && allDone(s.get("increments")));
        assertEquals(sha256(v2), stored2.get("file").get("sha256").asText());
        assertEquals(first.equals(second), false);
        publish(first, "1.0.0");
        publish(second, "1.0.1");

        String md5v1 = stored1.get("file").get("md5").asText();
        for (String format : new String[]{"chunk", "bsdiff-gz"}) {
            JsonNode answer = awaitCheck("kind=bundle&clientVersion=2.4.0&sign=" + md5v1 + "&formats=" + format,
                    a -> a.get("update").asBoolean() && a.has("patch"));
            assertEquals("1.0.1", answer.get("version").asText());
            JsonNode patch = answer.get("patch");
            assertEquals(format, patch.get("format").asText(), answer.toString());
            assertTrue(patch.get("size").asLong() <= 0.7 * answer.get("size").asLong(), "only a meaningfully smaller increment: " + answer);
            byte[] increment = download(patch.get("url").asText());
            assertEquals(patch.get("sha256").asText(), sha256(increment));
            byte[] rebuilt = format.equals("chunk")
                    ? ChunkApplier.apply(new String(v1, StandardCharsets.UTF_8), new String(increment, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)
                    : BsdiffGzApplier.apply(v1, increment);
            assertArrayEquals(v2, rebuilt, format + " rebuilds version 2 byte for byte");
            assertEquals(answer.get("sha256").asText(), sha256(rebuilt));
        }
        JsonNode none = check("kind=bundle&clientVersion=2.4.0&sign=" + md5v1 + "&formats=offline-patch");
        assertTrue(none.get("update").asBoolean());
        assertFalse(none.has("patch"), "no increment in a format the client did not declare: " + none);
    }

    @Test
    void aChannelClientGetsAZipAwarePatchFromItsOwnChannelsEarlierApkMadeOnDemand() throws Exception {
        SampleKey key = SampleKey.generate("increment-flow");
        Path mother1 = apk(key, 1);
        Path mother2 = apk(key, 2);
        String deployment = deployment();
        String request1 = packageAndWait(mother1, "[]");
        String request2 = packageAndWait(mother2, "[\"" + mother1.toUri() + "\"]");
        JsonNode diff = get("/v1/jobs/" + request2).get("diffs").get(0);
        assertTrue(diff.has("zipAware") && diff.get("zipAware").has("md5"), "the mother diff makes both formats: " + diff);
        assertTrue(diff.get("zipAware").get("bytes").asLong() < diff.get("bytes").asLong(), "zip-aware is smaller than bsdiff: " + diff);
        for (String[] release : new String[][]{{request1, "1.0"}, {request2, "2.0"}}) {
            JsonNode created = post("/v1/apps/" + app + "/releases", """
                    {"deployment": "production", "platform": "android", "version": "%s", "clientVersions": "*", "fromRequest": "%s"}
                    """.formatted(release[1], release[0]), 201);
            post("/v1/apps/" + app + "/releases/" + created.get("releaseId").asLong() + "/actions", "{\"action\": \"full\"}", 200);
        }
        Path oldChannel = temp.resolve("store").resolve(channelKey(request1));
        Path newChannel = temp.resolve("store").resolve(channelKey(request2));
        String query = "clientVersion=100&channel=huawei&sign=" + sha256(Files.readAllBytes(oldChannel)) + "&formats=zip-aware,bsdiff";
        JsonNode first = awaitCheck(query, a -> a.get("update").asBoolean());
        assertTrue(first.has("preparing") || first.has("patch"), "asked for on demand: " + first);
        JsonNode answer = awaitCheck(query, a -> a.has("patch") && a.get("patch").get("format").asText().equals("zip-aware"));
        assertEquals("2.0", answer.get("version").asText());
        Path patch = Files.write(temp.resolve("client.patch"), download(answer.get("patch").get("url").asText()));
        Path rebuilt = temp.resolve("client-new.apk");
        new ApkPatchApplier().apply(oldChannel.toFile(), patch.toFile(), rebuilt.toFile());
        assertArrayEquals(Files.readAllBytes(newChannel), Files.readAllBytes(rebuilt), "the exact new channel APK");
        assertEquals(answer.get("sha256").asText(), sha256(Files.readAllBytes(rebuilt)));
        assertTrue(ApkInspector.verify(rebuilt).verified(), "apksig verifies the patched APK");
        assertEquals("huawei", ChannelReader.read(rebuilt).orElseThrow().name(), "the channel is kept");
        assertTrue(deployment.startsWith("dk_"));
    }

    @Test
    void anOfflinePackageClientRebuildsTheNewPackageFromItsPatchAndBadFilesAreRefusedByName() throws Exception {
        deployment();
        OfflinePackageWriter writer = new OfflinePackageWriter();
        OfflinePackageWriter.Identity identity = new OfflinePackageWriter.Identity("home", "1", PackageRole.MAIN, Optional.empty(),
                LoadingStrategy.STARTUP);
        Path old = temp.resolve("home-1.zip");
        writer.write(h5(1), identity, old);
        Path newer = temp.resolve("home-2.zip");
        writer.write(h5(2), new OfflinePackageWriter.Identity("home", "2", PackageRole.MAIN, Optional.empty(), LoadingStrategy.STARTUP), newer);
        String first = submit("offline", "home", "1", old);
        JsonNode stored1 = await("/v1/artifacts/" + first, s -> s.get("state").asText().equals("stored"));
        String second = submit("offline", "home", "2", newer);
        await("/v1/artifacts/" + second, s -> s.get("state").asText().equals("stored") && s.get("increments").size() == 1
                && allDone(s.get("increments")));
        publish(first, "1", "offline");
        publish(second, "2", "offline");
        JsonNode answer = awaitCheck("kind=offline&clientVersion=2.4.0&sign=" + stored1.get("file").get("sha256").asText()
                + "&formats=offline-patch", a -> a.has("patch"));
        assertEquals("offline-patch", answer.get("patch").get("format").asText());
        Map<String, byte[]> rebuilt = OfflinePatchApplier.apply(OfflinePatchApplier.readZip(Files.readAllBytes(old)),
                download(answer.get("patch").get("url").asText()));
        Map<String, byte[]> expected = OfflinePatchApplier.readZip(Files.readAllBytes(newer));
        assertEquals(expected.keySet(), rebuilt.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, rebuilt.get(name), name));

        // refused files: the submission fails with the reason, and nothing is stored or planned for it
        Path escaping = temp.resolve("escaping.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(escaping))) {
            zip.putNextEntry(new ZipEntry("../evil.js"));
            zip.write("x".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        JsonNode refused = await("/v1/artifacts/" + submit("offline", "home", "3", escaping), s -> !s.get("state").asText().equals("pending"), true);
        assertEquals("failed", refused.get("state").asText());
        assertTrue(refused.get("error").asText().contains("../evil.js"), refused.toString());
        Path latin1 = Files.write(temp.resolve("latin1.js"), new byte[]{'v', 'a', 'r', ' ', (byte) 0xE9, ';'});
        JsonNode notText = await("/v1/artifacts/" + submit("bundle", "index.android.bundle", "9", latin1),
                s -> !s.get("state").asText().equals("pending"), true);
        assertEquals("failed", notText.get("state").asText());
        assertTrue(notText.get("error").asText().contains("not UTF-8 text: malformed bytes at offset 4"), notText.toString());
        assertFalse(notText.has("file"));
    }

    // ---- the flows' steps

    private String deployment() throws Exception {
        JsonNode created = post("/v1/apps", "{\"appId\": \"" + app + "\", \"deployments\": [\"production\"]}", 201);
        deploymentKey = created.get("deployments").get(0).get("key").asText();
        return deploymentKey;
    }

    private String deploymentKey;

    private String submitBundle(String version, Path file) throws Exception {
        return submit("bundle", "index.android.bundle", version, file);
    }

    private String submit(String kind, String name, String version, Path file) throws Exception {
        return post("/v1/artifacts", """
                {"appId": "%s", "kind": "%s", "name": "%s", "version": "%s", "location": "%s",
                 "outputStore": "local", "outputPrefix": "h5/"}""".formatted(app, kind, name, version, file.toUri()), 202).get("id").asText();
    }

    private void publish(String submission, String version) throws Exception {
        publish(submission, version, "bundle");
    }

    private void publish(String submission, String version, String kind) throws Exception {
        JsonNode created = post("/v1/apps/" + app + "/releases", """
                {"deployment": "production", "platform": "android", "version": "%s", "clientVersions": "2.4.x", "fromArtifact": "%s"}
                """.formatted(version, submission), 201);
        assertEquals(kind, created.get("kind").asText(), created.toString());
        post("/v1/apps/" + app + "/releases/" + created.get("releaseId").asLong() + "/actions", "{\"action\": \"full\"}", 200);
    }

    private String packageAndWait(Path mother, String diffAgainst) throws Exception {
        String id = post("/v1/jobs", """
                {"appId": "%s", "mother": "%s", "channels": ["huawei", "oppo"], "format": "walle", "outputStore": "local",
                 "outputPrefix": "game/%s/", "diffAgainst": %s}""".formatted(app, mother.toUri(), mother.getFileName(), diffAgainst), 202)
                .get("id").asText();
        await("/v1/jobs/" + id, s -> s.get("state").asText().equals("done"));
        return id;
    }

    private String channelKey(String request) throws Exception {
        for (JsonNode channel : get("/v1/jobs/" + request).get("results")) {
            if (channel.get("channel").asText().equals("huawei")) {
                return channel.get("objectKey").asText();
            }
        }
        throw new AssertionError("no huawei channel in " + request);
    }

    /** Release 1 or 2 of a small app: deflated code and data that change a little between releases, signed v2+v3 with one key. */
    private Path apk(SampleKey key, int release) throws Exception {
        Path unsigned = temp.resolve("unsigned-" + release + ".apk");
        try (SampleArchive archive = new SampleArchive(unsigned, false)) {
            archive.fixture(24, 33);
            archive.deflated("classes.dex", SampleText.lines(1, 12_000, release), 9);
            archive.deflated("assets/data.json", SampleText.lines(2, 6_000, release), 6);
            archive.deflated("res/raw/unchanged.txt", SampleText.lines(3, 2_000, 1), 6);
        }
        return new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).key(key).signArchive(unsigned, temp.resolve("game-" + release + ".apk"));
    }

    /** A minified-looking bundle; version 2 changes a few lines of version 1. */
    private static byte[] bundle(int release) {
        StringBuilder js = new StringBuilder("/* bundle */\n");
        String[] lines = new String(SampleText.lines(7, 4_000, release), StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            js.append("__d(function(g,r,i,a,m,e,d){var t").append(i).append("=\"").append(lines[i].replace("\\", "").replace("\"", ""))
                    .append("\";m.exports=t").append(i).append("},").append(i).append(");\n");
        }
        return js.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The H5 resources of release 1 or 2: an index page, a script that changes, a stylesheet that does not, an image added in 2. */
    private static SortedMap<String, byte[]> h5(int release) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("index.html", ("<html><script src=\"app.js\"></script><p>release " + release + "</p></html>").getBytes(StandardCharsets.UTF_8));
        files.put("app.js", bundle(release));
        files.put("css/site.css", SampleText.lines(11, 2_000, 1));
        if (release == 2) {
            files.put("img/new.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    private static boolean allDone(JsonNode increments) {
        for (JsonNode i : increments) {
            if (!i.get("state").asText().equals("done")) {
                assertFalse(i.get("state").asText().equals("failed"), "an increment failed: " + i);
                return false;
            }
        }
        return true;
    }

    // ---- HTTP

    private JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
        return await(path, done, false);
    }

    private JsonNode await(String path, Predicate<JsonNode> done, boolean mayFail) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode state = get(path);
            if (done.test(state)) {
                return state;
            }
            assertTrue(mayFail || !state.path("state").asText().equals("failed"), path + " failed: " + state);
            assertTrue(System.nanoTime() < deadline, path + " never got there: " + state);
            Thread.sleep(100);
        }
    }

    private JsonNode awaitCheck(String query, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode answer = check(query);
            if (done.test(answer)) {
                return answer;
            }
            assertTrue(System.nanoTime() < deadline, "the check never answered so: " + answer);
            Thread.sleep(100);
        }
    }

    private JsonNode check(String query) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + updates.port() + "/v1/check?deploymentKey="
                + deploymentKey + "&platform=android&clientId=c1&" + query)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return GrafanaFiles.JSON.readTree(r.body());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return GrafanaFiles.JSON.readTree(r.body());
    }

    private JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        return GrafanaFiles.JSON.readTree(r.body());
    }

    private static byte[] download(String url) throws Exception {
        assertTrue(url.startsWith("http://127.0.0.1:"), "served over HTTP: " + url);
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
