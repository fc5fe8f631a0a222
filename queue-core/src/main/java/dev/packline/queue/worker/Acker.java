package dev.packline.queue.worker;

import dev.packline.queue.Job;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.Ack;
import dev.packline.queue.QueueBroker.FailOutcome;
import dev.packline.queue.QueueBroker.Failure;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.worker.WorkerEvents.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes the outcome of every finished delivery to Redis. Completions that pile up while a write is
 * in flight go together in one script call, so acks cost one round trip per batch, not per job.
 * Owns outcomes until Redis has them: a write that fails is retried with backoff, never dropped.
 * If the process dies first, the job is still in the worker's active list and is recovered.
 */
final class Acker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Acker.class);
    private static final int MAX_BATCH = 500;

    private final QueueBroker broker;
    private final String workerId;
    private final WorkerEvents events;
    private final LinkedBlockingQueue<Settlement> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    /** How a delivery ended, as the processor saw it. {@code failure} is null for a completion. */
    record Settlement(Job job, Failure failure, boolean timedOut, long startedNanos) {
    }

    Acker(QueueBroker broker, String workerId, WorkerEvents events) {
        this.broker = broker;
        this.workerId = workerId;
        this.events = events;
    }

    void start() {
        running = true;
        thread = Thread.ofVirtual().name("acker").start(this::loop);
    }

    void submit(Settlement settlement) {
        queue.add(settlement);
    }

    int backlog() {
        return queue.size();
    }

    private void loop() {
        List<Settlement> batch = new ArrayList<>();
        long backoffMillis = 50;
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Settlement first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                write(batch);
                batch.clear();
                backoffMillis = 50;
            } catch (InterruptedException e) {
                if (!running && queue.isEmpty() && batch.isEmpty()) {
                    return;
                }
            } catch (RuntimeException e) {
                events.redisError("acker", e);
                log.warn("acker could not record {} job outcomes; retrying in {} ms: {}", batch.size(), backoffMillis, e.toString());
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    if (!running) {
                        log.error("acker stopped with {} outcomes unrecorded; their jobs will be recovered and run again",
                                batch.size() + queue.size());
                        return;
                    }
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /** Writes completions grouped per queue version, then failures one by one; removes what was written. */
    private void write(List<Settlement> batch) {
        Map<QueueVersion, List<Settlement>> completions = new LinkedHashMap<>();
        List<Settlement> failures = new ArrayList<>();
        for (Settlement s : batch) {
            if (s.failure() == null) {
                completions.computeIfAbsent(s.job().queue(), q -> new ArrayList<>()).add(s);
            } else {
                failures.add(s);
            }
        }
        for (Map.Entry<QueueVersion, List<Settlement>> entry : completions.entrySet()) {
            List<Settlement> done = entry.getValue();
            List<Ack> acks = new ArrayList<>(done.size());
            for (Settlement s : done) {
                acks.add(new Ack(s.job().id(), s.job().token()));
            }
            List<Boolean> accepted = broker.complete(entry.getKey(), workerId, acks);
            for (int i = 0; i < done.size(); i++) {
                Settlement s = done.get(i);
                if (!accepted.get(i)) {
                    log.warn("completion of job {} on {} refused: the job was recovered and handed out again (lease lost)",
                            s.job().id(), s.job().queue());
                }
                events.jobFinished(s.job(), accepted.get(i) ? Outcome.COMPLETED : Outcome.LEASE_LOST, took(s));
            }
            if (done.size() == batch.size()) {
                batch.clear(); // the usual batch: completions of one version, all written
            } else {
                Set<Settlement> written = Collections.newSetFromMap(new IdentityHashMap<>());
                written.addAll(done);
                batch.removeIf(written::contains); // by identity: equals would compare whole jobs, for every pair
            }
        }
        for (Settlement s : failures) {
            FailOutcome outcome = broker.fail(s.job().queue(), workerId, s.failure());
            Outcome reported = switch (outcome) {
                case RETRY_SCHEDULED -> s.timedOut() ? Outcome.TIMED_OUT : Outcome.RETRY_SCHEDULED;
                case DEAD_LETTERED -> Outcome.DEAD_LETTERED;
                case LEASE_LOST -> Outcome.LEASE_LOST;
                case CANCELLED -> Outcome.CANCELLED;
            };
            if (outcome == FailOutcome.DEAD_LETTERED) {
                log.warn("job {} on {} dead-lettered after attempt {}: {}", s.job().id(), s.job().queue(), s.job().attempt(), s.failure().error());
            }
            events.jobFinished(s.job(), reported, took(s));
            batch.removeIf(x -> x == s);
        }
    }

    private static Duration took(Settlement s) {
        return Duration.ofNanos(System.nanoTime() - s.startedNanos());
    }

    /** Stops taking work and writes what is queued, waiting at most {@code timeout}. */
    void close(Duration timeout) {
        running = false;
        if (thread == null) {
            return;
        }
        try {
            if (!thread.join(timeout)) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
