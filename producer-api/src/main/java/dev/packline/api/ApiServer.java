package dev.packline.api;

import dev.packline.api.artifacts.ArtifactsApi;
import dev.packline.api.auth.Authenticator;
import dev.packline.api.auth.ConfigReloader;
import dev.packline.api.http.Json;
import dev.packline.api.http.OpenApiDocument;
import dev.packline.api.http.Routes;
import dev.packline.api.jobs.JobsApi;
import dev.packline.api.jobs.ProgressStream;
import dev.packline.api.jobs.PublisherIndex;
import dev.packline.api.limits.ChannelsInFlight;
import dev.packline.api.limits.SubmitRateLimiter;
import dev.packline.api.metrics.ApiMetrics;
import dev.packline.api.metrics.RedisHealth;
import dev.packline.api.releases.ReleasesApi;
import dev.packline.api.schedules.SchedulesApi;
import dev.packline.http.input.ConnectionDeadlines;
import dev.packline.http.input.FramingFilter;
import dev.packline.pipeline.FirstStart;
import dev.packline.pipeline.RequestRoutes;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Submitter;
import dev.packline.pipeline.artifact.ArtifactStore;
import dev.packline.pipeline.artifact.IncrementStore;
import dev.packline.queue.QueueClient;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.schedule.ScheduleStore;
import dev.packline.queue.upgrade.RouteStore;
import dev.packline.queue.upgrade.RouteTable;
import dev.packline.redis.RedisConnector;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.RedisReleaseStore;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The producer API in one process: wires the parts and owns their lifecycle. Start it in-process
 * with {@link #start(ApiConfig)}, read the bound {@link #port()}, {@link #close()} it.
 *
 * <p>Start order: the Redis client (everything needs it), the pipeline parts on it (request store,
 * submitter on the package queue's current version, index, limits), the metrics, the Redis pinger,
 * the config reloader (token rotation), and the web server last, so no call arrives before its
 * handler can answer. Shutdown is the reverse: the server stops taking calls first and lets those
 * under way finish, then the background loops stop, then the Redis client closes.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** The handlers behind the routes. */
    record Handlers(JobsApi jobs, ProgressStream events, ReleasesApi releases, SchedulesApi schedules, ArtifactsApi artifacts,
                    RedisHealth health, ApiMetrics metrics, Filter deadlines) {
    }

    private final UnifiedJedis redis;
    private final RedisQueueBroker broker;
    private final ApiMetrics metrics;
    private final RedisHealth health;
    private final ConfigReloader reloader;
    private final Authenticator auth;
    private final ConnectionDeadlines deadlines;
    private final WebServer server;
    private List<Routes.Route> routes = List.of();

    private ApiServer(ApiConfig config, Clock clock, Map<String, String> env) {
        this.redis = RedisConnector.open(config.redisUrl());
        this.broker = new RedisQueueBroker(redis, RedisConnector.describe(config.redisUrl()), clock, Retention.DEFAULT, false);
        ApiConfig.Pipeline pipeline = config.pipeline();
        RequestStore requests = new RequestStore(redis, clock, pipeline.requestRetention());
        // package jobs follow the queue's routing rules (admin route ...), re-read every few seconds
        Submitter submitter = new Submitter(requests, new QueueClient(broker), pipeline.jobMaxAttempts(), pipeline.jobTimeout())
                .withRoutes(new RouteTable(new RouteStore(redis), clock, RouteTable.DEFAULT_POLL), new RequestRoutes(redis));
        this.metrics = new ApiMetrics();
        this.auth = new Authenticator(config.publishers());
        JobsApi jobs = new JobsApi(new JobsApi.Params(requests, submitter,
                new PublisherIndex(redis, clock, pipeline.requestRetention(), pipeline.indexMaxEntries()),
                new SubmitRateLimiter(redis, clock), new ChannelsInFlight(redis, requests), auth, config.rules(), metrics, clock,
                config.server().maxBodyBytes()));
        ProgressStream events = new ProgressStream(new ProgressStream.Params(requests, jobs, auth, metrics, clock,
                config.server().ssePollInterval(), config.server().sseHeartbeat(), config.server().sseMaxDuration()));
        this.health = new RedisHealth(redis, metrics, config.server().redisPingInterval());
        this.reloader = config.configFile() == null ? null : new ConfigReloader(config.configFile(), env, auth, config.server().reloadInterval());
        ArtifactStore artifactStore = new ArtifactStore(redis, clock, pipeline.requestRetention());
        ReleasesApi releases = new ReleasesApi(new ReleasesApi.Params(new RedisReleaseStore(redis, clock), new InstallReports(redis), requests,
                artifactStore, auth, config.server().maxBodyBytes()));
        SchedulesApi schedules = new SchedulesApi(new SchedulesApi.Params(new ScheduleStore(redis, clock), broker, auth, config.rules(), clock,
                config.server().maxBodyBytes()));
        ArtifactsApi artifacts = new ArtifactsApi(new ArtifactsApi.Params(artifactStore,
                new IncrementStore(redis, IncrementStore.DEFAULT_FAILURE_MEMORY), new QueueClient(broker), auth, config.rules(),
                new SubmitRateLimiter(redis, clock), pipeline.jobMaxAttempts(), pipeline.jobTimeout(), config.server().maxBodyBytes()));
        this.deadlines = new ConnectionDeadlines(config.server().httpLimits());
        Handlers handlers = new Handlers(jobs, events, releases, schedules, artifacts, health, metrics, deadlines.filter());
        this.server = config.server().httpLimits().applyTo(WebServer.builder(), deadlines)
                .host(config.server().bind())
                .port(config.server().port())
                .routing(routing -> this.routes = routing(routing, handlers))
                .build();
    }

    /**
     * Every route of the API, in one place. Each is registered by its template, which is also the
     * {@code route} tag of its metrics.
     */
    static List<Routes.Route> routing(HttpRouting.Builder routing, Handlers h) {
        routing.addFilter(h.deadlines()); // first: a request's head has arrived, its body has its own deadline
        routing.addFilter(new FramingFilter()); // before any route: a body whose framing lies is refused even where no route reads it
        OpenApiDocument openApi = new OpenApiDocument();
        return new Routes(routing, h.metrics())
                .post("/v1/jobs", h.jobs()::submit)
                .get("/v1/jobs", h.jobs()::list)
                .get("/v1/jobs/{id}", h.jobs()::show)
                .delete("/v1/jobs/{id}", h.jobs()::cancel)
                .get("/v1/jobs/{id}/events", h.events()::stream)
                .post("/v1/schedules", h.schedules()::put)
                .get("/v1/schedules", h.schedules()::list)
                .delete("/v1/schedules/{name}", h.schedules()::delete)
                .post("/v1/artifacts", h.artifacts()::submit)
                .get("/v1/artifacts/{id}", h.artifacts()::show)
                .post("/v1/apps", h.releases()::createApp)
                .get("/v1/apps/{app}", h.releases()::showApp)
                .post("/v1/apps/{app}/deployments", h.releases()::addDeployment)
                .post("/v1/apps/{app}/releases", h.releases()::createRelease)
                .get("/v1/apps/{app}/releases", h.releases()::listReleases)
                .get("/v1/apps/{app}/releases/{id}", h.releases()::showRelease)
                .post("/v1/apps/{app}/releases/{id}/actions", h.releases()::act)
                .post("/v1/apps/{app}/releases/{id}/promote", h.releases()::promote)
                .get("/v1/apps/{app}/audit", h.releases()::audit)
                .get(OpenApiDocument.ROUTE, openApi::serve)
                .get("/healthz", (req, res) -> {
                    boolean up = h.health().ping();
                    Json.send(res, up ? 200 : 503, Map.of("status", up ? "ok" : "unavailable", "redis", up ? "up" : "down"));
                })
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(h.metrics().scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                })
                .unmatched()
                .registered();
    }

    /** Starts the API on the configuration's port (0 = a free one); the caller closes it. */
    public static ApiServer start(ApiConfig config) {
        return start(config, Clock.systemUTC(), System.getenv());
    }

    /** As above with a clock (request times, rate limits) and the environment the config reloader reads overrides from. */
    public static ApiServer start(ApiConfig config, Clock clock, Map<String, String> env) {
        ApiServer api = new ApiServer(config, clock, env);
        try {
            if (api.health.ping()) {
                // an empty Redis gets version 1 of each stage's queue, so the first submit is taken
                new FirstStart(api.broker, clock).ensurePipelineQueues();
            } else {
                log.warn("Redis does not answer yet: submits answer 503 until it does and the pipeline queues exist (a worker or admin init creates them)");
            }
            api.health.start();
            if (api.reloader != null) {
                api.reloader.start();
            }
            api.server.start();
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        log.info("producer API listening on {}:{} ({} publishers, Redis {})", config.server().bind(), api.port(), config.publishers().size(),
                RedisConnector.describe(config.redisUrl()));
        return api;
    }

    /** The port the server is bound to. */
    public int port() {
        return server.port();
    }

    /** Every route the server registered (method and template), as {@link #routing} lists them. */
    public List<Routes.Route> routes() {
        return routes;
    }

    public ApiMetrics metrics() {
        return metrics;
    }

    /** Re-reads the configuration file now if it changed (what the reloader does every interval); true when new publishers are in force. */
    public boolean reloadConfig() {
        return reloader != null && reloader.reloadIfChanged();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
        deadlines.close();
        if (reloader != null) {
            reloader.close();
        }
        health.close();
        broker.close();
        redis.close();
        metrics.close();
    }
}
