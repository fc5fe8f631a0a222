package dev.packline.queue.worker;

import dev.packline.queue.QueueBroker;
import dev.packline.redis.PeriodicTask;

import java.util.List;

/** Enforces retention ages on done records and dead letters (counts are enforced as they are added). */
final class Janitor extends PeriodicTask {
    private final QueueBroker broker;
    private final List<Subscription> subscriptions;

    Janitor(QueueBroker broker, List<Subscription> subscriptions, WorkerTimings timings, WorkerEvents events) {
        super("janitor", timings.janitorInterval(), events);
        this.broker = broker;
        this.subscriptions = subscriptions;
    }

    @Override
    protected void runOnce() {
        for (Subscription s : subscriptions) {
            broker.trim(s.queue());
        }
    }
}
