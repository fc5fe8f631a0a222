package dev.packline.queue.worker;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.Recovery;
import dev.packline.redis.PeriodicTask;

import java.time.Duration;
import java.util.List;

/**
 * Returns jobs that nobody is working on any more: those held by workers whose lease expired
 * (crashed, killed, hung), including jobs that sat in a dead worker's active list without a lease,
 * and those that ran far past their hard deadline with a live worker. Every worker runs one, so
 * recovery goes on as long as any worker lives; the admin tool can run the same pass.
 */
final class Recoverer extends PeriodicTask {
    private final QueueBroker broker;
    private final List<Subscription> subscriptions;
    private final Duration overdueGrace;
    private final WorkerEvents events;

    Recoverer(QueueBroker broker, List<Subscription> subscriptions, WorkerTimings timings, WorkerEvents events) {
        super("recoverer", timings.recoverInterval(), events);
        this.broker = broker;
        this.subscriptions = subscriptions;
        this.overdueGrace = timings.overdueGrace();
        this.events = events;
    }

    @Override
    protected void runOnce() {
        for (Subscription s : subscriptions) {
            Recovery recovery = broker.recover(s.queue(), overdueGrace);
            if (recovery.returned() > 0 || recovery.deadLettered() > 0) {
                log.warn("recovered on {}: {} jobs returned to pending, {} dead-lettered (attempts used up)",
                        s.queue(), recovery.returned(), recovery.deadLettered());
                events.recovered(s.queue(), recovery.returned(), recovery.deadLettered());
            }
        }
    }
}
