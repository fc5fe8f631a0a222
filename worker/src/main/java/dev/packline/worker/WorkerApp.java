package dev.packline.worker;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionState;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.schedule.ScheduleStore;
import dev.packline.queue.schedule.Scheduler;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.notify.AlertChannel;
import dev.packline.worker.alarm.BacklogMonitor;
import dev.packline.worker.alarm.DeadLetterAlerter;
import dev.packline.worker.metrics.MetricsEndpoint;
import dev.packline.worker.metrics.IncrementMetrics;
import dev.packline.worker.metrics.PipelineMetrics;
import dev.packline.worker.metrics.PriorityGauges;
import dev.packline.worker.metrics.PriorityJobMetrics;
import dev.packline.worker.metrics.QueueDepthGauges;
import dev.packline.worker.metrics.RedisHealth;
import dev.packline.worker.metrics.ScheduleMetrics;
import dev.packline.worker.metrics.WorkerMetrics;
import dev.packline.worker.metrics.UpgradeMetrics;
import dev.packline.queue.upgrade.CleanupSchedule;
import dev.packline.queue.upgrade.VersionCleaner;
import dev.packline.queue.upgrade.HandlerVersions;
import dev.packline.queue.upgrade.ShadowRuns;
import dev.packline.queue.upgrade.ShadowStore;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import redis.clients.jedis.UnifiedJedis;
import dev.packline.pipeline.FirstStart;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.RunningChannels;
import dev.packline.pipeline.StaleRequests;
import dev.packline.pipeline.PublisherRequestIndex;
import dev.packline.pipeline.Submitter;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.job.JobIdentity;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.QueueClient;
import dev.packline.redis.RedisConnector;
import dev.packline.storage.CloudStores;
import dev.packline.storage.LocalDirectoryStore;
import dev.packline.storage.RedisUploadJournal;
import dev.packline.storage.UploadJanitor;
import dev.packline.storage.UploadJournal;
import dev.packline.storage.UploadObserver;
import dev.packline.worker.metrics.StoreMetrics;
import dev.packline.worker.stage.UploadJanitorLoop;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.StagedObjects;
import dev.packline.worker.mother.MotherCache;
import dev.packline.pipeline.artifact.ArtifactStore;
import dev.packline.pipeline.artifact.IncrementStore;
import dev.packline.pipeline.job.ArtifactJob;
import dev.packline.pipeline.job.IncrementJob;
import dev.packline.worker.stage.ArtifactDeadLetters;
import dev.packline.worker.stage.ArtifactStage;
import dev.packline.worker.stage.ChannelBuilder;
import dev.packline.worker.stage.IncrementPublisher;
import dev.packline.worker.stage.IncrementStage;
import dev.packline.worker.stage.HousekeepingStage;
import dev.packline.worker.stage.NotifyStage;
import dev.packline.worker.stage.HandlerTools;
import dev.packline.worker.stage.StageHandlers;
import dev.packline.worker.stage.PatchMaker;
import dev.packline.worker.stage.StageContext;
import dev.packline.worker.stage.StageDeadLetters;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One worker process: wires the queue runtime to the stage handlers, metrics and alarms.
 *
 * <p>Start order: Redis clients, the metrics endpoint (so a process that fails later can still be
 * scraped while it starts) and the Redis probe behind {@code packline_redis_up}, the queue worker
 * (heartbeat, fetch loops), the dead-letter consumer that keeps request state true, then the alarm
 * loops, the version watch and the clean-up of drained versions, and the scheduler (which enqueues, so it
 * starts once everything that runs jobs is up). Shutdown order is the reverse: the scheduler, the
 * clean-up, alarms, the dead-letter consumer, the worker (which
 * finishes or hands back its jobs), the Redis probe, the metrics endpoint, the stores, and the
 * Redis clients last, since the worker needs them to hand jobs back.
 */
public final class WorkerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);
    /** How often packline_redis_up is refreshed: often enough for a 1-minute alert, cheap enough to not matter. */
    private static final Duration REDIS_PROBE_INTERVAL = Duration.ofSeconds(5);
    /** How often the per-priority and per-group gauges are read from Redis (a few reads per served version). */
    private static final Duration PRIORITY_GAUGES_INTERVAL = Duration.ofSeconds(10);
    /** The queue of work that belongs to no request (scheduled tasks); served only by workers whose config lists it. */
    static final String HOUSEKEEPING_QUEUE = "housekeeping";
    /** How often due schedules are looked for: a tick fires within about this long of its time. */
    private static final Duration SCHEDULER_INTERVAL = Duration.ofSeconds(1);
    /** The handler version of the stages this build ships, as worker configs name it in queues.NAME.handlers (mixed mode). */
    static final String STAGE_HANDLER_VERSION = "1";
    /** The stages whose handlers have shadow runs around them (their outputs can be compared). */
    private static final Set<String> SHADOWED_STAGES = Set.of(Stage.PACKAGE.queueName(), Stage.UPLOAD.queueName(), Stage.DIFF.queueName());

    private final WorkerConfig config;
    private final RedisQueueBroker broker;
    private final RedissonClient redisson;
    private final MetricsEndpoint metrics;
    private final Worker worker;
    private final BacklogMonitor backlog;
    private final DeadLetterAlerter deadLetters;
    private final List<QueueVersion> queues;
    private final UnifiedJedis requestRedis;
    private final Map<String, ObjectStore> stores;
    private final StageDeadLetters stageDeadLetters;
    private final RedisHealth redisHealth;
    private final UploadJanitorLoop uploadJanitor;
    private final VersionWatch versionWatch;
    private final Scheduler scheduler;
    private final PriorityGauges priorityGauges;
    private final VersionCleaner versionCleaner;
    private boolean closed;

    /**
     * @param channels writes channel APKs (the packaging library)
     * @param patches  makes patches (the packaging library)
     */
    public WorkerApp(WorkerConfig config, ChannelBuilder channels, PatchMaker patches, AlertChannel alerts, Clock clock) throws IOException {
        this(config, Map.of(STAGE_HANDLER_VERSION, new HandlerTools(channels, patches)), alerts, clock);
    }

    /**
     * @param packageWriters the channel writers by handler version, each with the same patch maker
     *                       (mixed mode and shadow runs of the package stage)
     */
    public WorkerApp(WorkerConfig config, Map<String, ChannelBuilder> packageWriters, PatchMaker patches, AlertChannel alerts, Clock clock)
            throws IOException {
        this(config, withPatches(packageWriters, patches), alerts, clock);
    }

    /**
     * @param tools the stages' tools by handler version (mixed mode and shadow runs:
     *              {@code queues.NAME.handlers} says which serves which queue versions); "1" is this
     *              build's, and the stages that have one handler only (notify, housekeeping) run it
     */
    public WorkerApp(WorkerConfig config, Map<String, HandlerTools> tools, AlertChannel alerts, Clock clock) throws IOException {
        HandlerTools shipped = tools.get(STAGE_HANDLER_VERSION);
        if (shipped == null) {
            throw new IllegalArgumentException("the stages need their handler version " + STAGE_HANDLER_VERSION
                    + " (the stages with one handler run it); got " + tools.keySet());
        }
        ChannelBuilder channels = shipped.channels();
        PatchMaker patches = shipped.patches();
        // what is open so far, closed newest first if a later step throws (a queue with no current
        // version, a store that refuses its credentials...): a failed start leaks no client or pool
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            this.config = config;
            this.broker = opened(opened, new RedisQueueBroker(RedisConnector.open(config.redisUrl()), RedisConnector.describe(config.redisUrl()),
                    clock, Retention.DEFAULT, true));
            RedissonClient redissonClient = Redisson.create(redissonConfig(config.redisUrl()));
            opened.push(redissonClient::shutdown);
            this.redisson = redissonClient;
            this.metrics = opened(opened, new MetricsEndpoint());
            WorkerMetrics events = new WorkerMetrics(metrics.registry());
            new FirstStart(broker, clock).ensurePipelineQueues(); // an empty Redis gets version 1 of each stage's queue
            this.queues = resolveVersions(config, broker);
            WorkerConfig.Pipeline p = config.pipeline();
            this.requestRedis = opened(opened, RedisConnector.open(config.redisUrl(), 16));
            Map<String, ObjectStore> openedStores = openStores(p.stores(), new RedisUploadJournal(requestRedis),
                    new StoreMetrics(metrics.registry()).preRegister(p.stores().keySet()), clock);
            opened.push(() -> openedStores.values().forEach(ObjectStore::close));
            this.stores = openedStores;
            this.uploadJanitor = new UploadJanitorLoop(new UploadJanitor(new RedisUploadJournal(requestRedis), stores,
                    config.upload().janitorMaxIdle(), clock), config.upload().janitorInterval(), events);
            MotherCache mothers = new MotherCache(new MotherCache.Params(p.motherCacheDir(), p.motherCacheMaxBytes(), p.allowedRoots(),
                    Set.copyOf(p.allowedHosts()), stores, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Duration.ofMinutes(10),
                    (hit, bytes) -> PipelineMetrics.motherLookups(metrics.registry(), hit).increment()));
            StageContext ctx = new StageContext(new RequestStore(requestRedis, clock, p.requestRetention()), new QueueClient(broker), mothers,
                    stores, channels, patches, alerts, Files.createDirectories(p.workDir()), new Semaphore(p.diskConcurrency()),
                    new Semaphore(p.networkConcurrency()), p.jobMaxAttempts(), p.jobTimeout(), metrics.registry(), config.upload().zeroCopy());
            RunningChannels running = new RunningChannels(requestRedis, p.jobTimeout());
            StagedObjects stagedObjects = new StagedObjects(requestRedis, clock);
            // bundles, offline packages and increments share the upload and diff queues with the channels and mother patches
            ArtifactStore artifacts = new ArtifactStore(requestRedis, clock, p.requestRetention());
            IncrementPublisher increments = new IncrementPublisher(ctx, new IncrementStore(requestRedis, IncrementStore.DEFAULT_FAILURE_MEMORY));
            ShadowRuns shadows = new ShadowRuns(new ShadowStore(requestRedis, clock), broker, clock, ShadowRuns.DEFAULT_REFRESH,
                    UpgradeMetrics.shadows(metrics.registry(), config.queues().stream().map(WorkerConfig.QueueConfig::name)
                            .filter(SHADOWED_STAGES::contains).toList()));
            // by stage queue, the handlers by handler version (mixed mode); the stages without shadow runs have handler 1 only
            Map<String, Map<String, JobHandler>> byVersion = new LinkedHashMap<>(StageHandlers.byVersion(ctx, new LinkedHashMap<>(tools),
                    new StageHandlers.Shared(running, shadows, stagedObjects, increments, p.apkPatchFormats(),
                            Map.of(ArtifactJob.JOB, new ArtifactStage(ctx, artifacts, clock)), Map.of(IncrementJob.JOB, new IncrementStage(ctx, increments)), clock)));
            byVersion.put(Stage.NOTIFY.queueName(), Map.of(STAGE_HANDLER_VERSION, new NotifyStage(ctx)));
            byVersion.put(HOUSEKEEPING_QUEUE, Map.of(STAGE_HANDLER_VERSION, new HousekeepingStage(new StaleRequests(requestRedis, clock),
                    new Submitter(ctx.requests(), ctx.queues(), p.jobMaxAttempts(), p.jobTimeout()),
                    new PublisherRequestIndex(requestRedis, clock, p.requestRetention(), PublisherRequestIndex.DEFAULT_MAX_ENTRIES), stores, stagedObjects)));
            List<Subscription> subscriptions = new ArrayList<>();
            PriorityJobMetrics byPriority = new PriorityJobMetrics(metrics.registry(), clock);
            for (WorkerConfig.QueueConfig q : config.queues()) {
                Map<String, JobHandler> offered = byVersion.get(q.name());
                if (offered == null) {
                    throw new IllegalArgumentException("no stage handles queue '" + q.name() + "'; known stages: " + byVersion.keySet());
                }
                byPriority.preRegister(q.name());
                List<QueueVersion> versions = queues.stream().filter(v -> v.name().equals(q.name())).toList();
                if (q.handlers().isEmpty()) {
                    JobHandler handler = withLogContext(byPriority.measured(offered.get(STAGE_HANDLER_VERSION)));
                    for (QueueVersion v : versions) {
                        subscriptions.add(new Subscription(v, handler, q.concurrency(), q.backoff()));
                    }
                } else {
                    // mixed mode: each queue version runs the handler version the configuration gives it; versions no handler is given are not taken
                    Map<String, JobHandler> measured = new LinkedHashMap<>();
                    offered.forEach((version, h) -> measured.put(version, withLogContext(byPriority.measured(h))));
                    subscriptions.addAll(new HandlerVersions(q.name(), measured, q.handlers()).subscriptions(versions, q.concurrency(), q.backoff()));
                }
            }
            Worker.Params params = new Worker.Params(broker, Worker.newWorkerId(), subscriptions, clock, config.timings(), events,
                    config.maxJobsPerWorker());
            this.worker = new Worker(params);
            metrics.liveness(worker::stoppedFetchLoops);
            events.preRegister(queues);
            events.inFlight(worker, subscriptions);
            PipelineMetrics.preRegister(metrics.registry(), stores.keySet());
            IncrementMetrics.preRegister(metrics.registry());
            this.redisHealth = new RedisHealth(requestRedis, REDIS_PROBE_INTERVAL, metrics.registry(), events);
            QueueDepthGauges depth = new QueueDepthGauges(broker, clock, metrics.registry(), queues);
            this.backlog = new BacklogMonitor(queues, depth, redisson, alerts, config.alarms(), clock, metrics.registry(), events);
            this.deadLetters = new DeadLetterAlerter(broker, queues, worker.id(), alerts, config.alarms().deadLetterDigestWindow(), clock,
                    metrics.registry(), events);
            this.stageDeadLetters = new StageDeadLetters(broker, ctx, queues, worker.id(), events,
                    new ArtifactDeadLetters(artifacts, increments.increments(), metrics.registry()));
            this.versionWatch = new VersionWatch(config, broker, queues, events);
            this.priorityGauges = new PriorityGauges(broker, clock, metrics.registry(), queues, PRIORITY_GAUGES_INTERVAL, events);
            // every worker fires due schedules; each tick still becomes one job (queue-core's Scheduler)
            this.scheduler = new Scheduler(new ScheduleStore(requestRedis, clock), new QueueClient(broker), clock, SCHEDULER_INTERVAL, events,
                    new ScheduleMetrics(metrics.registry()));
            this.versionCleaner = new VersionCleaner(broker, new CleanupSchedule(requestRedis, broker, clock, config.cleanup().grace()),
                    config.cleanup().interval(), events, UpgradeMetrics.cleanups(metrics.registry(),
                    config.queues().stream().map(WorkerConfig.QueueConfig::name).toList()));
        } catch (IOException | RuntimeException | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static Map<String, HandlerTools> withPatches(Map<String, ChannelBuilder> writers, PatchMaker patches) {
        Map<String, HandlerTools> tools = new LinkedHashMap<>();
        new java.util.TreeMap<>(writers).forEach((version, writer) -> tools.put(version, new HandlerTools(writer, patches)));
        return tools;
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> opened, T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes what a failed construction opened, newest first; their own failures ride on the first one. */
    private static void closeAll(Deque<AutoCloseable> opened, Throwable failure) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    public WorkerApp start() {
        metrics.start(config.metricsBind(), config.metricsPort());
        redisHealth.start();
        worker.start();
        stageDeadLetters.start();
        backlog.start();
        deadLetters.start();
        uploadJanitor.start();
        versionWatch.start();
        versionCleaner.start();
        priorityGauges.start();
        scheduler.start();
        log.info("worker {} serving {}; metrics on {}:{}", worker.id(), queues, config.metricsBind(), metrics.port());
        return this;
    }

    public Worker worker() {
        return worker;
    }

    public QueueBroker broker() {
        return broker;
    }

    /**
     * Completes with the queue versions an admin added since this worker started (a new version of
     * a queue it serves without naming versions): the owner then closes the app and exits to be
     * restarted (WorkerMain), since a worker's subscriptions are fixed for its lifetime.
     */
    public CompletableFuture<Set<QueueVersion>> versionsAppeared() {
        return versionWatch.appeared();
    }

    /**
     * The versions this worker should serve now but does not; asked when every fetch loop stopped
     * because its versions retired, so a worker whose versions all retired before its
     * {@link VersionWatch} noticed the new ones restarts instead of exiting for good. Empty when
     * Redis cannot say.
     */
    public Set<QueueVersion> unservedVersions() {
        try {
            return versionWatch.unserved();
        } catch (RuntimeException e) {
            log.warn("could not read the queue registry for new versions: {}", e.toString());
            return Set.of();
        }
    }

    /** The queue versions this worker serves. */
    public List<QueueVersion> queues() {
        return queues;
    }

    public int metricsPort() {
        return metrics.port();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.close();
        versionCleaner.close();
        priorityGauges.close();
        versionWatch.close();
        uploadJanitor.close();
        deadLetters.close();
        backlog.close();
        stageDeadLetters.close();
        worker.close();
        redisHealth.close();
        metrics.close();
        stores.values().forEach(ObjectStore::close);
        redisson.shutdown();
        requestRedis.close();
        broker.close();
    }

    /**
     * One store object per configured store, shared by all jobs: one SDK client each, closed with
     * the app. Credentials are read from the environment or files here, never logged.
     */
    private static Map<String, ObjectStore> openStores(Map<String, StoreConfig> configs, UploadJournal journal, UploadObserver observer,
                                                       Clock clock) throws IOException {
        Map<String, ObjectStore> stores = new LinkedHashMap<>();
        try {
            for (StoreConfig store : configs.values()) {
                stores.put(store.name(), store.local()
                        ? new LocalDirectoryStore(store.name(), store.path(), observer, store.publicBaseUrl())
                        : CloudStores.open(store.cloud(System.getenv()), journal, observer, clock));
            }
        } catch (RuntimeException | IOException e) {
            stores.values().forEach(ObjectStore::close);
            throw e;
        }
        return stores;
    }

    /**
     * The versions named in the config; a queue with none named serves every version that is not
     * retired: the current one, where producers enqueue, and the ones still draining, whose jobs must
     * still run (a worker started during a rollout would otherwise leave the old version's jobs to
     * the workers started before it, and with none left the drain would never end).
     */
    static List<QueueVersion> resolveVersions(WorkerConfig config, QueueBroker broker) {
        List<QueueVersion> out = new ArrayList<>();
        for (WorkerConfig.QueueConfig q : config.queues()) {
            if (q.versions().isEmpty()) {
                QueueVersion current = broker.currentVersion(q.name()).orElseThrow(() -> new IllegalStateException("queue '" + q.name()
                        + "' has no current version; create it (bin/packline admin version new --queue " + q.name() + ") or name versions in the config"));
                for (QueueVersion v : broker.versions(q.name())) {
                    if (v.equals(current) || broker.counts(v).state() != VersionState.RETIRED) {
                        out.add(v);
                    }
                }
            } else {
                out.addAll(q.queueVersions());
            }
        }
        return out;
    }

    /** Every log line a handler writes carries the job's context (JSON fields in production). */
    private JobHandler withLogContext(JobHandler handler) {
        return JobHandler.reporting((job, progress) -> {
            StageJobs.identify(job.payload()).flatMap(JobIdentity::requestId).ifPresent(id -> MDC.put("requestId", id));
            MDC.put("stage", job.queue().name());
            MDC.put("jobId", job.id());
            MDC.put("queue", job.queue().name());
            MDC.put("version", Integer.toString(job.queue().version()));
            MDC.put("attempt", Integer.toString(job.attempt()));
            MDC.put("workerId", worker.id());
            try {
                handler.handle(job, progress);
            } finally {
                MDC.clear();
            }
        });
    }

    /** The Redisson configuration for a Redis URL (public for the tests of other packages). */
    public static Config redissonConfigForTests(String redisUrl) {
        return redissonConfig(redisUrl);
    }

    static Config redissonConfig(String redisUrl) {
        Config config = new Config();
        URI uri = URI.create(redisUrl);
        String password = null;
        String user = null;
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            password = parts.length == 2 ? parts[1] : parts[0];
            user = parts.length == 2 && !parts[0].isEmpty() ? parts[0] : null;
        }
        if ("redis-cluster".equals(uri.getScheme())) {
            var cluster = config.useClusterServers();
            for (String node : uri.getRawAuthority().replaceFirst("^.*@", "").split(",")) {
                cluster.addNodeAddress("redis://" + node.trim());
            }
            cluster.setPassword(password).setUsername(user);
        } else {
            config.useSingleServer().setAddress("redis://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()))
                    .setPassword(password).setUsername(user).setConnectionPoolSize(4).setConnectionMinimumIdleSize(1);
        }
        return config;
    }
}
