package dev.packline.worker;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisConnector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.worker.alarm.AlertChannel;
import dev.packline.worker.alarm.BacklogMonitor;
import dev.packline.worker.alarm.DeadLetterAlerter;
import dev.packline.worker.metrics.MetricsEndpoint;
import dev.packline.worker.metrics.QueueDepthGauges;
import dev.packline.worker.metrics.WorkerMetrics;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One worker process: wires the queue runtime to the stage handlers, metrics and alarms.
 *
 * <p>Start order: Redis clients, the metrics endpoint (so a process that fails later can still be
 * scraped while it starts), the queue worker (heartbeat, fetch loops), then the alarm loops.
 * Shutdown order is the reverse: alarms, the worker (which finishes or hands back its jobs), the
 * metrics endpoint, and the Redis clients last, since the worker needs them to hand jobs back.
 */
public final class WorkerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);

    private final WorkerConfig config;
    private final RedisQueueBroker broker;
    private final RedissonClient redisson;
    private final MetricsEndpoint metrics;
    private final Worker worker;
    private final BacklogMonitor backlog;
    private final DeadLetterAlerter deadLetters;
    private final List<QueueVersion> queues;
    private boolean closed;

    /**
     * @param handlers stage handler per queue name; every configured queue needs one
     */
    public WorkerApp(WorkerConfig config, Map<String, JobHandler> handlers, AlertChannel alerts, Clock clock) {
        this.config = config;
        this.broker = new RedisQueueBroker(RedisConnector.open(config.redisUrl()), RedisConnector.describe(config.redisUrl()),
                clock, Retention.DEFAULT, true);
        this.redisson = Redisson.create(redissonConfig(config.redisUrl()));
        this.metrics = new MetricsEndpoint();
        WorkerMetrics events = new WorkerMetrics(metrics.registry());
        this.queues = resolveVersions(config, broker);
        List<Subscription> subscriptions = new ArrayList<>();
        for (WorkerConfig.QueueConfig q : config.queues()) {
            JobHandler handler = handlers.get(q.name());
            if (handler == null) {
                throw new IllegalArgumentException("no stage handles queue '" + q.name() + "'; known stages: " + handlers.keySet());
            }
            for (QueueVersion v : queues.stream().filter(v -> v.name().equals(q.name())).toList()) {
                subscriptions.add(new Subscription(v, withLogContext(handler), q.concurrency(), q.backoff()));
            }
        }
        Worker.Params params = new Worker.Params(broker, Worker.newWorkerId(), subscriptions, clock, config.timings(), events,
                config.maxJobsPerWorker());
        this.worker = new Worker(params);
        QueueDepthGauges depth = new QueueDepthGauges(broker, clock, metrics.registry(), queues);
        this.backlog = new BacklogMonitor(queues, depth, redisson, alerts, config.alarms(), clock, metrics.registry(), events);
        this.deadLetters = new DeadLetterAlerter(broker, queues, worker.id(), alerts, config.alarms().deadLetterDigestWindow(), clock,
                metrics.registry(), events);
    }

    public WorkerApp start() {
        metrics.start(config.metricsBind(), config.metricsPort());
        worker.start();
        backlog.start();
        deadLetters.start();
        log.info("worker {} serving {}; metrics on {}:{}", worker.id(), queues, config.metricsBind(), metrics.port());
        return this;
    }

    public Worker worker() {
        return worker;
    }

    public QueueBroker broker() {
        return broker;
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
        deadLetters.close();
        backlog.close();
        worker.close();
        metrics.close();
        redisson.shutdown();
        broker.close();
    }

    /** The versions named in the config; a queue with none named serves its current version. */
    static List<QueueVersion> resolveVersions(WorkerConfig config, QueueBroker broker) {
        List<QueueVersion> out = new ArrayList<>();
        for (WorkerConfig.QueueConfig q : config.queues()) {
            if (q.versions().isEmpty()) {
                out.add(broker.currentVersion(q.name()).orElseThrow(() -> new IllegalStateException("queue '" + q.name()
                        + "' has no current version; create it (bin/packline admin version new --queue " + q.name() + ") or name versions in the config")));
            } else {
                out.addAll(q.queueVersions());
            }
        }
        return out;
    }

    /** Every log line a handler writes carries the job's context (JSON fields in production). */
    private JobHandler withLogContext(JobHandler handler) {
        return job -> {
            MDC.put("jobId", job.id());
            MDC.put("queue", job.queue().name());
            MDC.put("version", Integer.toString(job.queue().version()));
            MDC.put("attempt", Integer.toString(job.attempt()));
            MDC.put("workerId", worker.id());
            try {
                handler.handle(job);
            } finally {
                MDC.clear();
            }
        };
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
