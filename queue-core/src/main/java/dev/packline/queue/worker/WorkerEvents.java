package dev.packline.queue.worker;

import dev.packline.queue.Job;
import dev.packline.queue.QueueVersion;
import dev.packline.redis.PeriodicTask;

import java.time.Duration;

/**
 * What the worker runtime reports as it goes, for metrics and alerting (the worker app plugs in
 * Micrometer). Every method has a no-op default; implementations must be fast and must not throw.
 */
public interface WorkerEvents extends PeriodicTask.Failures {
    WorkerEvents NONE = new WorkerEvents() {
    };

    enum Outcome { COMPLETED, RETRY_SCHEDULED, DEAD_LETTERED, TIMED_OUT, LEASE_LOST }

    default void jobStarted(Job job, Duration waited) {
    }

    default void jobFinished(Job job, Outcome outcome, Duration took) {
    }

    /** A fetch loop got no answer from Redis for too long and was restarted. */
    default void fetchStalled(QueueVersion queue, Duration silentFor) {
    }

    default void redisError(String component, Exception error) {
    }

    /** A round of a background loop failed: reported as a Redis error of that component. */
    @Override
    default void failed(String component, Exception error) {
        redisError(component, error);
    }

    default void recovered(QueueVersion queue, int returned, int deadLettered) {
    }
}
