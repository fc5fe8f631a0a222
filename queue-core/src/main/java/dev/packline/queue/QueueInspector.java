package dev.packline.queue;

import dev.packline.queue.QueueBroker.Recovery;
import dev.packline.queue.QueueBroker.VersionChange;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What admins and the apps' status pages use: queues and their versions, counts, jobs, dead
 * letters, and the version lifecycle (new version, make current, pause, drain, retire, obliterate).
 * Everything is safe while workers and producers run: each change is atomic in Redis.
 */
public final class QueueInspector {
    /** How long a starting process waits for the first version another process is creating. */
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(5);

    private final QueueBroker broker;
    private final Clock clock;

    public QueueInspector(QueueBroker broker, Clock clock) {
        this.broker = broker;
        this.clock = clock;
    }

    /** A version of a queue with its counts, and whether producers enqueue there by default. */
    public record VersionSummary(QueueCounts counts, boolean current) {
    }

    public List<String> queueNames() {
        return List.copyOf(broker.queueNames());
    }

    public List<VersionSummary> versions(String queueName) {
        Optional<QueueVersion> current = broker.currentVersion(queueName);
        List<VersionSummary> out = new ArrayList<>();
        for (QueueVersion v : broker.versions(queueName)) {
            out.add(new VersionSummary(broker.counts(v), current.map(v::equals).orElse(false)));
        }
        return out;
    }

    /**
     * The queue's current version, creating version 1 when the queue never had one. Race-free: of
     * several processes starting together on an empty Redis, one creates version 1 and the others
     * wait briefly for it to be registered ({@link QueueBroker#createFirstVersion}).
     */
    public QueueVersion ensureQueue(String queueName) {
        return ensureFirstVersion(queueName).version();
    }

    /** As {@link #ensureQueue}, saying whether this call created the version (for the first-start log line). */
    public FirstVersion ensureFirstVersion(String queueName) {
        Optional<QueueVersion> current = broker.currentVersion(queueName);
        if (current.isPresent()) {
            return new FirstVersion(current.get(), FirstVersion.Outcome.EXISTED);
        }
        FirstVersion first = broker.createFirstVersion(queueName);
        if (first.version() != null) {
            return first;
        }
        // registry_add lists a version and makes it current in one step, so a version listed (read
        // first) with no current one (read after) is an admin's doing (the current one obliterated),
        // not a start in progress; one listed just now by another starter is current by now
        if (!broker.versions(queueName).isEmpty()) {
            current = broker.currentVersion(queueName);
            if (current.isPresent()) {
                return new FirstVersion(current.get(), FirstVersion.Outcome.EXISTED);
            }
            throw new QueueStateException("queue '" + queueName + "' has versions but none is current; set one with version set-current");
        }
        long deadline = System.nanoTime() + REGISTRATION_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            // another process reserved version 1 a moment ago and is registering it: milliseconds
            current = broker.currentVersion(queueName);
            if (current.isPresent()) {
                return new FirstVersion(current.get(), FirstVersion.Outcome.EXISTED);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueueStateException("interrupted while waiting for queue '" + queueName + "' to get its first version");
            }
        }
        // every version was obliterated (or a creator died between reserving and registering): start again
        return new FirstVersion(broker.createVersion(queueName), FirstVersion.Outcome.CREATED);
    }

    public QueueVersion newVersion(String queueName) {
        return broker.createVersion(queueName);
    }

    public void setCurrent(QueueVersion queue) {
        broker.setCurrentVersion(queue);
    }

    public Optional<QueueVersion> current(String queueName) {
        return broker.currentVersion(queueName);
    }

    public QueueCounts counts(QueueVersion queue) {
        return broker.counts(queue);
    }

    public List<String> jobIds(QueueVersion queue, JobState state, int offset, int limit) {
        return broker.jobIds(queue, state, offset, limit);
    }

    public Optional<JobRecord> job(QueueVersion queue, String id) {
        return broker.job(queue, id);
    }

    public List<QueueBroker.WorkerLease> workers(QueueVersion queue) {
        return broker.workers(queue);
    }

    public void pause(QueueVersion queue) {
        broker.changeState(queue, VersionChange.PAUSE, false);
    }

    public void resume(QueueVersion queue) {
        broker.changeState(queue, VersionChange.RESUME, false);
    }

    public int requeueDead(QueueVersion queue, List<String> ids) {
        return broker.requeueDead(queue, ids);
    }

    public int deleteDead(QueueVersion queue, List<String> ids) {
        return broker.deleteDead(queue, ids);
    }

    public List<QueueBroker.DeadLetterEvent> deadLetterEvents(QueueVersion queue, String afterId, int max) {
        return broker.deadLetterEvents(queue, afterId, max);
    }

    /** Stops new jobs from entering the version; the current version must be moved elsewhere first. */
    public void markDraining(QueueVersion queue) {
        if (broker.currentVersion(queue.name()).filter(queue::equals).isPresent()) {
            throw new QueueStateException("cannot drain " + queue + " while it is the current version; make another version current first");
        }
        broker.changeState(queue, VersionChange.DRAIN, false);
    }

    /**
     * Drains a version: marks it draining, then waits until no job is pending, delayed, in retry or
     * active (reporting counts to {@code progress} every poll), then retires it so its workers stop.
     * Returns the final counts; throws {@link QueueStateException} if the timeout passes first.
     * Dead letters stay (they are no longer running); deal with them before obliterating.
     */
    public QueueCounts drain(QueueVersion queue, Duration timeout, Duration poll, Consumer<QueueCounts> progress)
            throws InterruptedException {
        markDraining(queue);
        long deadline = clock.millis() + timeout.toMillis();
        while (true) {
            QueueCounts counts = broker.counts(queue);
            progress.accept(counts);
            if (counts.unfinished() == 0) {
                broker.changeState(queue, VersionChange.RETIRE, false);
                return broker.counts(queue);
            }
            if (clock.millis() >= deadline) {
                throw new QueueStateException("drain of " + queue + " timed out with " + counts.unfinished()
                        + " jobs left (pending " + counts.pending() + ", active " + counts.active() + ", retry " + counts.retry()
                        + ", delayed " + counts.delayed() + "); it stays draining");
            }
            Thread.sleep(poll);
        }
    }

    /** Runs crash recovery now on one version (what every worker's recoverer does periodically). */
    public Recovery recover(QueueVersion queue, Duration overdueGrace) {
        return broker.recover(queue, overdueGrace);
    }

    public long obliterate(QueueVersion queue, boolean force) {
        return broker.obliterate(queue, force);
    }
}
