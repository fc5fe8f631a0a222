package dev.packline.queue.worker;

import dev.packline.queue.Job;
import dev.packline.queue.QueueVersion;
import dev.packline.redis.PeriodicTask;
import dev.packline.redis.RedisErrors;

import java.time.Duration;

/**
 * What the worker runtime reports as it goes, for metrics and alerting (the worker app plugs in
 * Micrometer). Every method has a no-op default; implementations must be fast and must not throw.
 */
public interface WorkerEvents extends PeriodicTask.Failures {
    WorkerEvents NONE = new WorkerEvents() {
    };

    enum Outcome { COMPLETED, RETRY_SCHEDULED, DEAD_LETTERED, TIMED_OUT, LEASE_LOST, CANCELLED }

    default void jobStarted(Job job, Duration waited) {
    }

    default void jobFinished(Job job, Outcome outcome, Duration took) {
    }

    /** A fetch loop got no answer from Redis for too long and was restarted. */
    default void fetchStalled(QueueVersion queue, Duration silentFor) {
    }

    /** A call to Redis failed in a component (a loop's round, an ack write). */
    default void redisError(String component, Exception error) {
    }

    /** A round of a loop failed with something other than Redis (a bug, an {@code Error}): the loop goes on. */
    default void loopFailed(String component, Throwable error) {
    }

    /** A round of a loop failed: counted as a Redis error of the component when Redis failed, else as the loop's own failure. */
    @Override
    default void failed(String component, Throwable error) {
        if (error instanceof Exception e && RedisErrors.isRedisFailure(e)) {
            redisError(component, e);
        } else {
            loopFailed(component, error);
        }
    }

    default void recovered(QueueVersion queue, int returned, int deadLettered) {
    }
}
