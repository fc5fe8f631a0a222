package dev.packline.queue.worker;

import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.RedisConnector;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The worker that {@link CrashTest} kills: started in its own JVM, it marks in Redis that it began a
 * job and then works on it forever, until SIGKILL.
 * Arguments: redis URL, queue name, version.
 */
public final class CrashWorkerMain {
    private CrashWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        QueueVersion queue = QueueVersion.of(args[1], Integer.parseInt(args[2]));
        UnifiedJedis marker = RedisConnector.open(url, 2);
        RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(url), url, Clock.systemUTC(), Retention.DEFAULT, true);
        WorkerTimings timings = WorkerTimings.DEFAULT.withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(1));
        new Worker(Worker.Params.of(broker, List.of(Subscription.of(queue, 1, job -> {
            marker.set(CrashTest.markerKey(queue), job.id() + "/" + job.attempt());
            Thread.sleep(Long.MAX_VALUE);
        }))).withTimings(timings)).start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
