package dev.packline.e2e;

import dev.packline.e2e.GrafanaFiles.Query;
import dev.packline.api.ApiConfig;
import dev.packline.api.ApiServer;
import dev.packline.api.auth.Publishers;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.RedisConnector;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.notify.LogAlertChannel;
import dev.packline.worker.metrics.MetricsEndpoint;
import dev.packline.worker.stage.PackagingTools;
import dev.packline.worker.supervisor.Supervisor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.TestReleases;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.settings.Settings;
import dev.packline.update.UpdateConfig;
import dev.packline.update.UpdateServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Dashboards and alert rules cannot silently rot: a real worker (real Redis), the producer API and
 * a supervisor's metrics endpoint run in-process, their {@code /metrics} pages are scraped over HTTP, and every
 * PromQL expression in grafana/ must use only metrics, labels and label values they export.
 * Metrics whose producers have not landed are listed in {@link PendingMetrics} and reported as
 * unchecked, never skipped silently.
 */
class MetricsCoverageTest {
    @TempDir
    Path temp;

    @Test
    void everyMetricLabelAndValueTheDashboardsAndRulesUseIsExported() throws Exception {
        Exposition exported = scrapeWorkerApiAndSupervisor();
        Map<String, String> pending = PendingMetrics.all();

        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        Map<String, Set<String>> unchecked = new TreeMap<>();
        List<Query> queries = GrafanaFiles.queries();
        for (Query query : queries) {
            MetricUse.Result result = MetricUse.check(query.where(), query.expression(), exported, pending.keySet());
            problems.addAll(result.problems());
            used.addAll(result.metrics());
            result.unchecked().forEach(m -> unchecked.computeIfAbsent(m, k -> new TreeSet<>()).add(query.where()));
        }
        StringBuilder report = new StringBuilder("metrics coverage of grafana/: " + queries.size() + " expressions, " + used.size() + " metrics\n");
        report.append("unchecked (producer not landed, see PendingMetrics): ").append(unchecked.size()).append('\n');
        unchecked.forEach((metric, where) -> report.append("  ").append(metric).append("  [").append(pending.get(metric)).append("] used by ")
                .append(where.size()).append(" expressions\n"));
        pending.keySet().stream().filter(exported::has).forEach(m -> report.append("exported now, checked, remove from PendingMetrics: ").append(m).append('\n'));
        System.out.print(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "metrics-coverage.txt"), report);

        assertTrue(queries.size() > 40, "the dashboards and rules were read: " + queries.size() + " expressions");
        assertTrue(used.contains("packline_queue_jobs") && used.contains("packline_jobs_finished_total"), "queries reference the worker's metrics: " + used);
        if (!problems.isEmpty()) {
            fail(problems.size() + " uses of metrics the apps do not export:\n  " + String.join("\n  ", problems));
        }
        Set<String> stale = new TreeSet<>(pending.keySet());
        stale.removeAll(used);
        assertEquals(Set.of(), stale, "PendingMetrics lists names no dashboard or rule uses any more");
    }

    /**
     * A real worker on a real Redis, the producer API beside it, and the metrics endpoint a
     * supervisor serves (restarts, slots). A small real request goes through the API to the worker
     * (a signed sample mother, two channels) with a refused and a rate-limited submit on the way, so
     * the API's series that appear only once touched exist too; then all three pages are scraped
     * over HTTP, as one Prometheus would.
     */
    private Exposition scrapeWorkerApiAndSupervisor() throws Exception {
        Clock clock = Clock.systemUTC();
        Path mothers = Files.createDirectories(temp.resolve("apks"));
        Path mother = new SampleApkBuilder().seed(3).payloadBytes(64 * 1024).build(mothers.resolve("game-1.0.apk"));
        Path workerYml = Files.writeString(temp.resolve("worker.yml"), """
                redis: {url: "%s"}
                queues:
                  package: {concurrency: 2}
                  upload: {concurrency: 2}
                  diff: {concurrency: 1}
                  notify: {concurrency: 1}
                worker: {heartbeatInterval: 200ms, lease: 2s, recoverInterval: 300ms, shutdownTimeout: 5s}
                metrics: {port: 0}
                logging: {format: console}
                alarms: {checkInterval: 200ms}
                mothers: {cacheDir: "%s", cacheMaxBytes: 1GiB, allowedRoots: ["%s"]}
                stores:
                  local: {kind: local, path: "%s"}
                notifications:
                  ops-log: {kind: log}
                pipeline: {workDir: "%s"}
                """.formatted(TestRedis.url(), temp.resolve("cache"), mothers, temp.resolve("store"), temp.resolve("work")));
        String publisher = "e2e-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        String token = "e2e-token-" + System.nanoTime();
        Path apiYml = Files.writeString(temp.resolve("api.yml"), """
                redis: {url: "%s"}
                server: {bind: 127.0.0.1, port: 0}
                pipeline: {shared: worker.yml}
                logging: {format: console}
                publishers:
                  %s:
                    limits: {submitsPerMinute: 1, submitBurst: 1, maxChannelsInFlight: 100}
                    tokens:
                      ci: {sha256: %s}
                """.formatted(TestRedis.url(), publisher, Publishers.sha256Hex(token)));
        try (RedisQueueBroker broker = TestRedis.broker(clock); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 2)) {
            QueueInspector inspector = new QueueInspector(broker, clock);
            for (Stage stage : Stage.values()) {
                inspector.ensureQueue(stage.queueName());
            }
            try (WorkerApp worker = new WorkerApp(WorkerConfig.load(workerYml, Map.of()), PackagingTools.channelBuilder(), PackagingTools.patchMaker(),
                    new LogAlertChannel(), clock).start();
                 ApiServer api = ApiServer.start(ApiConfig.load(apiYml, Map.of()));
                 MetricsEndpoint supervisorEndpoint = new MetricsEndpoint().start("127.0.0.1", 0)) {
                Supervisor supervisor = new Supervisor(new Supervisor.Params(slot -> List.of("true"),
                        new WorkerConfig.Supervision(2, Duration.ofSeconds(1), Duration.ofMinutes(1), 5, Duration.ofMinutes(2)),
                        Duration.ofSeconds(5), new LogAlertChannel(), supervisorEndpoint.registry(), clock));

                String body = """
                        {"appId": "dev.packline.sample", "mother": "%s", "channels": ["store-a", "store-b"], "format": "walle",
                         "outputStore": "local", "outputPrefix": "e2e/", "notifyChannels": ["ops-log"], "notifyLevel": "all"}
                        """.formatted(mother.toUri());
                HttpResponse<String> accepted = submit(api.port(), token, body);
                assertEquals(202, accepted.statusCode(), accepted.body());
                String requestId = GrafanaFiles.JSON.readTree(accepted.body()).path("id").asText();
                assertEquals(429, submit(api.port(), token, body).statusCode(), "the burst of 1 is spent: rate-limited");
                assertEquals(401, submit(api.port(), "not-a-token", body).statusCode(), "refused");
                assertEquals(400, submit(api.port(), token, "/v1/artifacts", "{}").statusCode(), "an artifact submission refused by field");
                RequestStore requests = new RequestStore(redis, clock, Duration.ofDays(1));
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!requests.status(requestId).map(RequestStatus::finished).orElse(false) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals("done", requests.status(requestId).orElseThrow().state(), "the request went through the worker");

                System.gc(); // Micrometer registers the GC pause timer when it hears of the first collection
                String workerPage = awaitSampled(worker.metricsPort());
                Exposition scraped = Exposition.parse(workerPage).with(Exposition.parse(scrape(api.port())))
                        .with(Exposition.parse(scrape(supervisorEndpoint.port()))).with(Exposition.parse(updateApiPage(redis)));
                assertTrue(workerPage.contains("packline_requests_finished_total{state=\"done\"} 1.0"), "the worker counted the request");
                supervisor.close();
                return scraped;
            }
        }
    }

    /**
     * The update API's page after a gray check, a patch-less full check, a refused check, and a
     * failed install report that pauses the gray release automatically (threshold of one), once the
     * release tallies have been read from Redis.
     */
    private static String updateApiPage(UnifiedJedis redis) throws Exception {
        RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
        String app = TestReleases.uniqueApp("e2e");
        String key = store.createApp(app, "e2e", List.of("production"), "e2e").deployment("production").orElseThrow().key();
        Release full = store.create(TestReleases.bundle(app, "production", "1.0", "*"), "e2e");
        store.change(app, full.id(), new ReleaseAction.GoFull(), "e2e");
        Release gray = store.create(TestReleases.bundle(app, "production", "2.0", "*"), "e2e");
        store.change(app, gray.id(), new ReleaseAction.SetPercentage(10_000), "e2e");
        store.change(app, gray.id(), new ReleaseAction.Start(), "e2e");
        UpdateConfig config = UpdateConfig.read(Settings.parse("update-api.yml", """
                redis: {url: "%s"}
                server: {port: 0}
                autoPause: {failurePercent: 1, minInstalls: 1}
                logging: {format: console}
                """.formatted(TestRedis.url()), Map.of()));
        try (UpdateServer update = UpdateServer.start(config)) {
            String check = "/v1/check?kind=bundle&deploymentKey=" + key + "&platform=android&clientVersion=1";
            assertEquals(200, get(update.port(), check + "&clientId=c1").statusCode());
            assertEquals(200, get(update.port(), check).statusCode());
            assertEquals(400, get(update.port(), "/v1/check").statusCode());
            HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + update.port()
                    + "/v1/report")).POST(HttpRequest.BodyPublishers.ofString("{\"deploymentKey\": \"" + key + "\", \"releaseId\": " + gray.id()
                    + ", \"event\": \"failed\", \"clientId\": \"c1\", \"reason\": \"e2e\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, report.statusCode(), report.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String page = scrape(update.port());
            while (!page.contains("packline_update_release_clients{") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                page = scrape(update.port());
            }
            assertTrue(page.contains("packline_update_auto_pauses_total{"), "the gray release was paused automatically");
            return page;
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> submit(int port, String token, String body) throws Exception {
        return submit(port, token, "/v1/jobs", body);
    }

    private static HttpResponse<String> submit(int port, String token, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The worker's page once the queue gauges hold a first sample and the Redis probe has answered. */
    private static String awaitSampled(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String page = scrape(port);
            boolean sampled = page.lines().anyMatch(l -> l.startsWith("packline_queue_jobs{") && !l.endsWith(" NaN"))
                    && page.lines().anyMatch(l -> l.startsWith("packline_redis_up ") && l.endsWith(" 1.0"))
                    && page.contains("jvm_gc_pause_seconds_count");
            if (sampled || System.nanoTime() > deadline) {
                return page;
            }
            Thread.sleep(100);
        }
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET /metrics on port " + port);
        return response.body();
    }
}
