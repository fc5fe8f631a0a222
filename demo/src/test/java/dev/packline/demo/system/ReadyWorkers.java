package dev.packline.demo.system;

import dev.packline.queue.control.WorkerInfo;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.RedisConnector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The platform's worker processes that are ready: alive children of the supervisor that have
 * published their heartbeat in Redis, so they have connected and their fetch loops run. A process
 * the supervisor has just started (its JVM still loading on a loaded machine) is not ready yet.
 * While Redis cannot answer (a restart), no worker counts as ready.
 */
final class ReadyWorkers implements AutoCloseable {
    private final Platform platform;
    private final RedisQueueBroker broker;

    ReadyWorkers(Platform platform, String redisUrl) {
        this.platform = platform;
        this.broker = new RedisQueueBroker(RedisConnector.open(redisUrl, 2), redisUrl, Clock.systemUTC(), Retention.DEFAULT, true);
    }

    /** A ready worker process and what it last published about itself (jobs started, running). */
    record Ready(ProcessHandle process, WorkerInfo info) {
    }

    /** The ready worker processes now whose process {@code eligible} accepts. */
    List<Ready> now(Predicate<ProcessHandle> eligible) {
        Map<Long, WorkerInfo> heartbeating = new HashMap<>();
        try {
            broker.workerInfos().forEach(json -> {
                WorkerInfo info = WorkerInfo.parse(json);
                heartbeating.put(info.pid(), info);
            });
        } catch (RuntimeException e) {
            return List.of(); // Redis is restarting: nobody counts as ready until it answers
        }
        return platform.workerProcesses().stream().filter(p -> heartbeating.containsKey(p.pid()) && eligible.test(p))
                .map(p -> new Ready(p, heartbeating.get(p.pid()))).toList();
    }

    /** Waits until every worker process the supervisor runs is ready (at least {@code count}); fails after {@code timeout}. */
    void await(int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            int running = platform.workerProcesses().size();
            int ready = now(p -> true).size();
            if (running >= count && ready >= running) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(ready + " of " + running + " worker processes ready after " + timeout + " (wanted " + count
                        + "); logs in " + platform.logs());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
