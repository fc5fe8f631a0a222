package dev.packline.queue;

/** What enqueue did with one job: {@code created} is false when a job with that id already existed. */
public record Enqueued(QueueVersion queue, String id, boolean created) {
}
