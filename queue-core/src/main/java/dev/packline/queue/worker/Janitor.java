package dev.packline.queue.worker;

import dev.packline.queue.CountCorrection;
import dev.packline.queue.QueueBroker;
import dev.packline.redis.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Enforces retention ages on done records and dead letters (counts are enforced as they are added),
 * and keeps capped groups' running counts true.
 */
final class Janitor extends PeriodicTask {
    private static final Logger log = LoggerFactory.getLogger(Janitor.class);
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
            for (CountCorrection c : broker.trim(s.queue())) {
                log.warn("running count of group {} on {} was {}, but {} of its jobs run: corrected (a cap set by an older build's admin counts nothing)",
                        c.group(), s.queue(), c.found(), c.counted());
            }
        }
    }
}
