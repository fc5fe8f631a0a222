package dev.packline.queue.worker;

import dev.packline.queue.QueueVersion;
import dev.packline.queue.retry.Backoff;

import java.util.Objects;

/** One queue version a worker consumes, with its handler, how many jobs run at once, and retry backoff. */
public record Subscription(QueueVersion queue, JobHandler handler, int concurrency, Backoff backoff) {

    public Subscription {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(backoff, "backoff");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency for " + queue + " must be at least 1, got " + concurrency);
        }
    }

    public static Subscription of(QueueVersion queue, int concurrency, JobHandler handler) {
        return new Subscription(queue, handler, concurrency, Backoff.DEFAULT);
    }
}
