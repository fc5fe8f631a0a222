package dev.packline.update;

import dev.packline.http.input.ConnectionDeadlines;
import dev.packline.http.input.FramingFilter;
import dev.packline.notify.NotificationChannels;
import dev.packline.pipeline.artifact.IncrementStore;
import dev.packline.queue.QueueClient;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.RedisConnector;
import dev.packline.update.increment.IncrementLookup;
import dev.packline.update.increment.IncrementOffers;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.releases.serving.CatalogCache;
import dev.packline.releases.serving.ChangeListener;
import dev.packline.releases.serving.VersionPoller;
import dev.packline.update.check.CheckApi;
import dev.packline.update.check.ClientRateLimit;
import dev.packline.update.http.Json;
import dev.packline.update.http.UpdateRoutes;
import dev.packline.update.metrics.UpdateMetrics;
import dev.packline.update.report.AutoPauser;
import dev.packline.update.report.ReleaseTallies;
import dev.packline.update.report.ReportApi;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The update API in one process: wires the parts and owns their lifecycle. Start it in-process with
 * {@link #start}, read the bound {@link #port()}, {@link #close()} it.
 *
 * <p>Start order: the Redis client, the notification channels, the snapshot and its first load (a
 * failure is logged, not fatal: the instance serves what it learns once Redis answers), the change
 * listener and the version poller that keep it fresh, the report tallies, the connection deadlines, and the web server last,
 * so no check arrives before the snapshot had its chance to load. Shutdown is the reverse: the
 * server stops taking calls, the loops stop, the channels flush what they hold, Redis closes.
 */
public final class UpdateServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpdateServer.class);

    /** The handlers behind the routes. */
    record Handlers(CheckApi check, ReportApi report, CatalogCache cache, Duration staleAfter, UpdateMetrics metrics, Filter deadlines) {
    }

    private final UnifiedJedis redis;
    private final UnifiedJedis subscriber;
    private final NotificationChannels channels;
    private final UpdateMetrics metrics = new UpdateMetrics();
    private final CatalogCache cache;
    private final ChangeListener listener;
    private final VersionPoller poller;
    private final ReleaseTallies tallies;
    private final RedisQueueBroker diffQueue;
    private final ConnectionDeadlines deadlines;
    private final WebServer server;

    private UpdateServer(UpdateConfig config, Clock clock, Map<String, String> env) {
        this.redis = RedisConnector.open(config.redisUrl());
        this.subscriber = RedisConnector.open(config.redisUrl(), 2); // the subscription holds its connection for good
        this.channels = NotificationChannels.fromSettings(config.notifications(), env);
        RedisReleaseStore store = new RedisReleaseStore(redis, clock);
        this.cache = new CatalogCache(store, clock, config.snapshot().missInterval());
        this.listener = new ChangeListener(subscriber, cache);
        this.poller = new VersionPoller(cache, config.snapshot().pollInterval());
        InstallReports reports = new InstallReports(redis);
        this.tallies = new ReleaseTallies(reports, metrics, clock, Duration.ofSeconds(15));
        metrics.watch(cache);
        ClientRateLimit rateLimit = new ClientRateLimit(config.server().checksPerIpSecond());
        ReportApi report = new ReportApi(new ReportApi.Params(cache, reports,
                new AutoPauser(store, config.autoPause(), channels.all(), metrics, clock), tallies, metrics, rateLimit,
                config.server().maxBodyBytes()));
        // increments by pair, made on demand on the workers' diff queue (the broker only enqueues: it runs no loops)
        this.diffQueue = new RedisQueueBroker(redis, RedisConnector.describe(config.redisUrl()), clock, Retention.DEFAULT, false);
        IncrementOffers increments = new IncrementOffers(new IncrementLookup(new IncrementStore(redis, IncrementStore.DEFAULT_FAILURE_MEMORY),
                new QueueClient(diffQueue), config.increments(), clock), config.increments().maxRatio());
        this.deadlines = new ConnectionDeadlines(config.server().httpLimits());
        Handlers handlers = new Handlers(new CheckApi(cache, metrics, rateLimit, increments), report, cache, config.snapshot().staleAfter(), metrics,
                deadlines.filter());
        this.server = config.server().httpLimits().applyTo(WebServer.builder(), deadlines)
                .host(config.server().bind())
                .port(config.server().port())
                .routing(routing -> routing(routing, handlers))
                .build();
    }

    /**
     * Every route of the update API, in one place. Each is registered by its template, which is also
     * the {@code route} tag of its metrics.
     */
    static void routing(HttpRouting.Builder routing, Handlers h) {
        routing.addFilter(h.deadlines()); // first: a request's head has arrived, its body has its own deadline
        routing.addFilter(new FramingFilter()); // before any route: a body whose framing lies is refused even where no route reads it
        new UpdateRoutes(routing, h.metrics())
                .get("/v1/check", h.check()::check)
                .get("/v1/compat/check", h.check()::compatible, CheckApi::compatibleError)
                .post("/v1/report", h.report()::report)
                .get("/healthz", (req, res) -> {
                    Duration age = h.cache().age();
                    boolean stale = age.compareTo(h.staleAfter()) > 0;
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", stale ? "stale" : "ok");
                    body.put("snapshotVersion", h.cache().current().version());
                    body.put("snapshotAgeSeconds", age.toMillis() / 1000.0);
                    // 200 either way: a stale instance still answers from its snapshot, and taking every
                    // instance out of a load balancer while Redis is down would answer nobody
                    Json.send(res, 200, body);
                })
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(h.metrics().scrape().getBytes(StandardCharsets.UTF_8));
                })
                .unmatched();
    }

    /** Starts on the configuration's port (0 = a free one); the caller closes it. */
    public static UpdateServer start(UpdateConfig config) {
        return start(config, Clock.systemUTC(), System.getenv());
    }

    public static UpdateServer start(UpdateConfig config, Clock clock, Map<String, String> env) {
        UpdateServer api = new UpdateServer(config, clock, env);
        try {
            api.channels.start();
            try {
                api.cache.reload(true);
            } catch (RuntimeException e) {
                log.error("the release catalogue could not be read at start ({}); serving nothing until Redis answers", e.getMessage());
            }
            api.listener.start();
            api.poller.start();
            api.tallies.start();
            api.server.start();
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        log.info("update API listening on {}:{} (catalogue version {}, {} releases, Redis {})", config.server().bind(), api.port(),
                api.cache.current().version(), api.cache.current().releaseCount(), RedisConnector.describe(config.redisUrl()));
        return api;
    }

    public int port() {
        return server.port();
    }

    public CatalogCache cache() {
        return cache;
    }

    public UpdateMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
        deadlines.close();
        tallies.close();
        poller.close();
        listener.close();
        channels.close();
        diffQueue.close();
        subscriber.close();
        redis.close();
        metrics.close();
    }
}
