package dev.packline.queue.upgrade;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.VersionChange;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.redis.PeriodicTask;

import java.time.Duration;

/**
 * Removes drained queue versions nobody needs any more, so an upgrade ends without an admin
 * remembering to obliterate the old version. Each round, over every version of every queue: a
 * draining version that is empty is retired (its grace period starts), and a retired version whose
 * {@link CleanupSchedule} says it is due is obliterated, logged and reported to the listener (the
 * worker counts it). Several workers may run this at once: retire and obliterate are atomic and
 * refused when the version is no longer in the state they need, which is then not an error.
 */
public final class VersionCleaner extends PeriodicTask {
    /** Told about every version the cleaner removed; must be fast and must not throw. */
    @FunctionalInterface
    public interface Listener {
        void obliterated(QueueVersion version, long keysDeleted);
    }

    private final QueueBroker broker;
    private final CleanupSchedule schedule;
    private final Listener listener;

    public VersionCleaner(QueueBroker broker, CleanupSchedule schedule, Duration interval, Failures failures, Listener listener) {
        super("version-cleaner", interval, failures);
        this.broker = broker;
        this.schedule = schedule;
        this.listener = listener;
    }

    @Override
    protected void runOnce() {
        schedule.announce();
        for (String name : broker.queueNames()) {
            for (QueueVersion version : broker.versions(name)) {
                clean(version);
            }
        }
    }

    /** One version's turn; returns what it found (the tests read it). */
    CleanupSchedule.Status clean(QueueVersion version) {
        CleanupSchedule.Plan plan = schedule.plan(version);
        try {
            if (plan.status() == CleanupSchedule.Status.DRAINED) {
                broker.changeState(version, VersionChange.RETIRE, false);
                log.info("{} is drained and empty: retired; the clean-up removes it {} from now unless it is kept "
                        + "(admin version keep)", version, schedule.grace());
            } else if (plan.status() == CleanupSchedule.Status.DUE) {
                long deleted = broker.obliterate(version, false);
                log.info("{} removed by the clean-up: retired more than {} ago, no dead letters left ({} keys deleted)",
                        version, schedule.grace(), deleted);
                listener.obliterated(version, deleted);
            }
        } catch (QueueStateException e) {
            // another worker's cleaner or an admin got there first, or a job arrived: next round looks again
            log.debug("{}: clean-up skipped: {}", version, e.getMessage());
        }
        return plan.status();
    }
}
