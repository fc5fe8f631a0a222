package dev.packline.demo.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.demo.Configs;
import dev.packline.demo.ServiceProcesses;
import dev.packline.demo.WebhookReceiver;
import dev.packline.demo.rehearsal.OtherCaseChannelHandlers;
import dev.packline.packaging.ApkInspector;
import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelFormat;
import dev.packline.packaging.ChannelWriter;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.upgrade.ShadowStore;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.worker.stage.HandlerToolsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shadow run against a deliberately changed handler, with real processes, as an operator would
 * rehearse new worker code: the candidate is handler version 3, offered by a provider jar on the
 * worker's classpath ({@link OtherCaseChannelHandlers}: one byte of every channel APK differs),
 * built by this test from the test classes and its {@code META-INF/services} entry. One real
 * worker process serves package version 1 with the shipped handler 1 and version 2 with handler 3
 * ({@code queues.package.handlers: {"1": [1], "3": [2]}}); {@code bin/packline admin shadow start
 * --queue package --from 1 --to 2 --share 100%} (a real admin process) copies every package job of
 * version 1 to version 2. Then:
 * <ul>
 *   <li>{@code admin shadow report} counts every channel as a mismatch and shows both results: the
 *       real side is the stored channel APK, the shadow side the APK handler 3 writes (same size,
 *       verified, another SHA-256);</li>
 *   <li>the store holds exactly the requests' channel APKs, each byte for byte what handler 1 (the
 *       packaging library's writer) writes, and each verifies with apksig; nothing of a shadow;</li>
 *   <li>each request's webhook notification arrived exactly once.</li>
 * </ul>
 */
class ShadowMismatchSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 2;
    private static final int CHANNELS = 3;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aCandidateWritingADifferentByteIsReportedAsMismatchesWhileRealOutputsAndNotificationsAreUntouched() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        Path mother = new SampleApkBuilder().sdk(21, 33).payloadBytes(64 * 1024).seed(19)
                .build(Files.createDirectories(dir.resolve("mothers")).resolve("release.apk"));
        Path store = dir.resolve("store");
        Path providerJar = providerJar(dir.resolve("rehearsal-handlers.jar"));
        String secret = "whsec_" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(24));
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 2), redis.url(), Clock.systemUTC(), Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 2);
             WebhookReceiver webhook = WebhookReceiver.start(secret);
             ServiceProcesses services = new ServiceProcesses(home, dir, dir.resolve("logs"))) {
            // what an admin does once per deployment, and the candidate's queue version beside the current one
            QueueInspector queues = new QueueInspector(broker, Clock.systemUTC());
            for (Stage stage : Stage.values()) {
                queues.ensureQueue(stage.queueName());
            }
            queues.newVersion(Stage.PACKAGE.queueName());
            ServiceProcesses.Completed started = admin(services, redis.url(), "shadow", "start", "--queue", "package", "--from", "1", "--to", "2",
                    "--share", "100%");
            assertEquals(0, started.status(), started.stderr());

            Path config = new Configs.WorkerFile(EmbeddedRedis.freePort(), webhook.url(), secret, """
                      local:
                        kind: local
                        path: %s
                    """.formatted(store)).write(dir);
            String yaml = Files.readString(config);
            String mixed = yaml.replace("  package: {concurrency: 4}", "  package: {concurrency: 4, handlers: {\"1\": [1], \"3\": [2]}}");
            assertNotEquals(yaml, mixed, "the worker file names the package queue as this test expects");
            Files.writeString(config, mixed);
            services.start("worker", "worker", "dev.packline.worker.WorkerMain", List.of("--config", config.toString(), "--redis", redis.url()),
                    Map.of("PACKLINE_WORKER_MAX_JOBS_PER_WORKER", "0"), List.of(providerJar));

            RequestStore requests = new RequestStore(jedis, Clock.systemUTC(), Duration.ofDays(1));
            Submitter submitter = new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2));
            List<PackagingRequest> submitted = new ArrayList<>();
            for (int r = 0; r < REQUESTS; r++) {
                PackagingRequest request = request(mother, "r" + r);
                submitter.submit(request);
                submitted.add(request);
            }
            List<RequestStatus> statuses = new ArrayList<>();
            for (PackagingRequest request : submitted) {
                RequestStatus status = FinishedRequests.await(requests, services, request.id(), Duration.ofSeconds(120));
                assertEquals("done", status.state(), status.toString());
                statuses.add(status);
            }
            int total = REQUESTS * CHANNELS;
            ShadowStore shadows = new ShadowStore(jedis, Clock.systemUTC());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (shadows.report(Stage.PACKAGE.queueName(), 1, 2).compared() < total && System.nanoTime() < deadline) {
                services.checkAlive();
                Thread.sleep(100);
            }

            // what handler 1 writes for each channel (the packaging library, as the shipped worker uses it), and what handler 3 writes
            Map<String, String> handlerOne = new HashMap<>();
            Map<String, String> handlerThreeOf = new HashMap<>();
            Map<String, Path> expectedFiles = new HashMap<>();
            Path expected = Files.createDirectories(dir.resolve("expected"));
            try (ChannelWriter writer = ChannelWriter.open(mother, new ChannelWriter.Options(ChannelFormat.WALLE))) {
                for (PackagingRequest request : submitted) {
                    for (ChannelSpec spec : request.channels()) {
                        Path one = writer.write(Channel.of(spec.name(), spec.extra()), expected.resolve(spec.name() + ".apk")).file();
                        ChannelSpec changed = OtherCaseChannelHandlers.otherCase(spec);
                        Path three = writer.write(Channel.of(changed.name(), changed.extra()), expected.resolve("three-" + spec.name() + ".apk")).file();
                        handlerOne.put(spec.name(), sha256(one));
                        handlerThreeOf.put(sha256(one), sha256(three));
                        expectedFiles.put(spec.name(), one);
                    }
                }
            }

            // the admin's report: every pair a mismatch, with both results
            ServiceProcesses.Completed reported = admin(services, redis.url(), "--json", "shadow", "report", "--queue", "package", "--from", "1", "--to", "2");
            assertEquals(0, reported.status(), reported.stderr());
            JsonNode report = JSON.readTree(reported.stdout().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
            assertEquals(List.of(total, 0, total, 0, 0), List.of(report.path("copied").asInt(), report.path("matches").asInt(),
                    report.path("mismatches").asInt(), report.path("failures").asInt(), report.path("waiting").asInt()), report.toString());
            Set<String> realShown = new TreeSet<>();
            for (JsonNode example : report.path("examples")) {
                assertEquals("mismatch", example.path("verdict").asText(), example.toString());
                Map<String, String> real = facts(example.path("real").asText());
                Map<String, String> shadow = facts(example.path("shadow").asText());
                assertTrue(handlerOne.containsValue(real.get("sha256")), "the real side is handler 1's channel APK: " + example);
                assertEquals(handlerThreeOf.get(real.get("sha256")), shadow.get("sha256"), "the shadow side is handler 3's channel APK: " + example);
                assertNotEquals(real.get("sha256"), shadow.get("sha256"));
                assertEquals(real.get("size"), shadow.get("size"), "one byte differs, not the size: " + example);
                assertEquals(List.of("true", "true"), List.of(real.get("verified"), shadow.get("verified")), example.toString());
                realShown.add(real.get("sha256"));
            }
            assertEquals(new TreeSet<>(handlerOne.values()), realShown, "an example for every channel");

            // the real outputs: exactly the requests' channel APKs, byte for byte handler 1's, each verified by apksig
            Set<String> expectedKeys = new TreeSet<>();
            for (RequestStatus status : statuses) {
                assertEquals(CHANNELS, status.channels().size(), status.toString());
                for (Map<String, Object> channel : status.channels()) {
                    assertEquals("1", channel.get("handler"), "version 1's jobs ran on handler 1: " + channel);
                    String key = (String) channel.get("objectKey");
                    expectedKeys.add(key);
                    Path file = store.resolve(key);
                    String name = (String) channel.get("channel");
                    assertEquals(-1L, Files.mismatch(expectedFiles.get(name), file), "the stored " + key + " is what handler 1 writes");
                    assertEquals(handlerOne.get(name), channel.get("sha256"), "the request recorded handler 1's file: " + channel);
                    assertTrue(ApkInspector.verify(file).verified(), "apksig verifies " + key);
                }
            }
            Set<String> stored;
            try (Stream<Path> files = Files.walk(store)) {
                stored = files.filter(Files::isRegularFile).map(f -> store.relativize(f).toString().replace('\\', '/')).collect(Collectors.toCollection(TreeSet::new));
            }
            assertEquals(expectedKeys, stored, "the store holds the real channel APKs and nothing of a shadow");

            // the notifications: one per request, none from the shadow copies (they ran long before this point)
            for (PackagingRequest request : submitted) {
                long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!webhook.received(request.id()) && System.nanoTime() < waitUntil) {
                    Thread.sleep(100);
                }
                assertEquals(1, webhook.notifications(request.id()), webhook.describe(request.id()));
                assertTrue(webhook.verifiedFor(request.id()), webhook.describe(request.id()));
            }
            services.checkAlive();
        }
    }

    /**
     * The provider jar an operator would deploy: the rehearsal package's classes and the services
     * entry naming its provider, from this module's test classes (the worker process must not see
     * the rest of them, e.g. the tests' logging configuration).
     */
    private static Path providerJar(Path jar) throws IOException {
        Path classes;
        try {
            classes = Path.of(OtherCaseChannelHandlers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        String services = "META-INF/services/" + HandlerToolsProvider.class.getName();
        String rehearsal = OtherCaseChannelHandlers.class.getPackageName().replace('.', '/') + "/";
        List<String> entries = new ArrayList<>(List.of(services));
        try (Stream<Path> files = Files.walk(classes.resolve(rehearsal))) {
            files.filter(Files::isRegularFile).forEach(f -> entries.add(classes.relativize(f).toString().replace('\\', '/')));
        }
        assertTrue(entries.size() > 1 && Files.isRegularFile(classes.resolve(services)), "the provider is compiled and registered: " + entries);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (String entry : entries) {
                jarOut.putNextEntry(new JarEntry(entry));
                jarOut.write(Files.readAllBytes(classes.resolve(entry)));
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    /** {@code bin/packline admin --redis URL ARGS...} as its own process. */
    private static ServiceProcesses.Completed admin(ServiceProcesses services, String redisUrl, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("--redis", redisUrl));
        argv.addAll(List.of(args));
        return services.run("admin", "queue-admin", "dev.packline.admin.AdminMain", argv, Duration.ofSeconds(60));
    }

    /** A shadow result as the report describes it: {@code sha256=... size=... verified=true}. */
    private static Map<String, String> facts(String described) {
        Map<String, String> facts = new HashMap<>();
        for (String pair : described.split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                facts.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return facts;
    }

    private static PackagingRequest request(Path mother, String tag) {
        List<ChannelSpec> channels = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            channels.add(new ChannelSpec("market" + tag + "-" + i, i == 1 ? Map.of("campaign", "shadow") : Map.of()));
        }
        return new PackagingRequest("shadow-" + tag + "-" + UUID.randomUUID().toString().substring(0, 8), "demo", "dev.packline.shadow",
                mother.toUri().toString(), channels, "walle", "local", tag + "/", null, List.of(), List.of("demo-webhook"), "all");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
