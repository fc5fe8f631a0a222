package dev.packline.queue.worker;

import dev.packline.queue.Job;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.Fetch;
import dev.packline.queue.QueueVersion;
import dev.packline.redis.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The fetch loop of one subscription: takes free slots from the processor, fetches that many jobs
 * in one script call, and when none is ready blocks in Redis (BLMOVE) until one arrives or the
 * next delayed or retry job is due, so an idle worker starts a new job within milliseconds without
 * polling. Every job is in the worker's active list before its handler runs. Failures, {@code Error}s
 * included, back off and retry; the watchdog restarts a loop that stops hearing from Redis, and
 * starts a new thread for one that ended anyway (only what must end the process gets out).
 */
final class Fetcher {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
    static final int MAX_BATCH = 200;

    private final QueueBroker broker;
    private final String workerId;
    private final Subscription subscription;
    private final Processor processor;
    private final Clock clock;
    private final WorkerTimings timings;
    private final WorkerEvents events;
    private final JobBudget budget;
    private final Runnable onStopped;
    private volatile boolean running;
    private volatile long lastAnswerMillis;
    /** Set while the loop waits for a free job slot (its jobs fill its concurrency): no Redis call is outstanding then. */
    private volatile boolean waitingForSlot;
    private volatile Thread thread;

    Fetcher(QueueBroker broker, String workerId, Subscription subscription, Processor processor, Clock clock,
            WorkerTimings timings, WorkerEvents events, JobBudget budget, Runnable onStopped) {
        this.broker = broker;
        this.workerId = workerId;
        this.subscription = subscription;
        this.processor = processor;
        this.clock = clock;
        this.timings = timings;
        this.events = events;
        this.budget = budget;
        this.onStopped = onStopped;
    }

    QueueVersion queue() {
        return subscription.queue();
    }

    synchronized void start() {
        running = true;
        lastAnswerMillis = clock.millis();
        thread = Thread.ofVirtual().name("fetcher " + queue()).start(this::loop);
    }

    boolean isRunning() {
        return running;
    }

    /** Whether the loop should run but its thread has ended (a failure got out of it). */
    boolean isDead() {
        Thread t = thread;
        return running && t != null && !t.isAlive();
    }

    /** Called by the watchdog for a dead loop: runs it again on a new thread. */
    synchronized void revive() {
        if (isDead()) {
            start();
        }
    }

    long lastAnswerMillis() {
        return lastAnswerMillis;
    }

    /** Whether the loop waits for one of its running jobs to end rather than for Redis. */
    boolean waitingForSlot() {
        return waitingForSlot;
    }

    /** Called by the watchdog: aborts the current Redis call (the interrupt closes its socket); the loop goes on. */
    void restart() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void loop() {
        long backoffMillis = timings.fetchErrorBackoff().toMillis();
        while (running) {
            int held = 0;
            int reserved = 0;
            try {
                waitingForSlot = true;
                try {
                    held = processor.acquire(MAX_BATCH);
                } finally {
                    waitingForSlot = false;
                }
                answered(); // the silence the watchdog measures starts now: a long job holding every slot is not Redis's
                int allowed = budget.take(held);
                if (allowed == JobBudget.WAIT) {
                    processor.release(held);
                    held = 0;
                    Thread.sleep(20); // another loop is fetching the last jobs of the budget right now
                    continue;
                }
                if (allowed == 0) {
                    processor.release(held);
                    log.info("{}: this worker started its maximum number of jobs; its fetch loop stops so the process can recycle", queue());
                    running = false;
                    onStopped.run();
                    return;
                }
                processor.release(held - allowed);
                held = allowed;
                reserved = allowed;
                Fetch fetch = broker.fetch(queue(), workerId, held, null, timings.lease());
                budget.settle(reserved, fetch.jobs().size());
                reserved = 0;
                answered();
                if (fetch.status() == Fetch.Status.OK && fetch.jobs().isEmpty()) {
                    // wait without holding budget: other loops may use it meanwhile
                    Optional<String> moved = broker.awaitJob(queue(), workerId, blockTime(fetch.nextDueMillis()));
                    answered();
                    if (moved.isPresent()) {
                        int again = budget.take(held);
                        reserved = Math.max(0, again);
                        fetch = broker.fetch(queue(), workerId, reserved, moved.get(), timings.lease()); // 0: gives the job back
                        budget.settle(reserved, fetch.jobs().size());
                        reserved = 0;
                        answered();
                    }
                }
                held -= dispatch(fetch);
                processor.release(held);
                held = 0;
                backoffMillis = timings.fetchErrorBackoff().toMillis();
                switch (fetch.status()) {
                    case PAUSED -> Thread.sleep(timings.pausedPoll());
                    case RETIRED, MISSING -> {
                        log.info("{} is {}; its fetch loop stops", queue(), fetch.status().name().toLowerCase());
                        running = false;
                        onStopped.run();
                    }
                    case OK -> {
                    }
                }
            } catch (InterruptedException e) {
                processor.release(held);
                budget.settle(reserved, 0);
                // a stop, or the watchdog restarting a stuck call: the loop condition decides
            } catch (Throwable e) {
                processor.release(held);
                budget.settle(reserved, 0);
                if (PeriodicTask.mustEndProcess(e)) {
                    events.failed("fetcher " + queue(), e);
                    log.error("fetch loop for {} failed with an error the process cannot recover from; it stops", queue(), e);
                    throw (Error) e;
                }
                if (!running) {
                    return;
                }
                Thread.interrupted(); // a watchdog restart leaves the flag set; later socket calls would fail at once
                events.failed("fetcher " + queue(), e);
                log.warn("fetch loop for {} failed; retrying in {} ms: {}", queue(), backoffMillis, e.toString());
                sleepQuietly(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, timings.fetchErrorBackoffMax().toMillis());
            }
        }
    }

    private int dispatch(Fetch fetch) {
        for (Job job : fetch.jobs()) {
            processor.dispatch(job);
        }
        return fetch.jobs().size();
    }

    /** Block until a job arrives, but no longer than the next scheduled job's due time or maxBlock. */
    private Duration blockTime(long nextDueMillis) {
        long max = timings.maxBlock().toMillis();
        if (nextDueMillis >= 0) {
            max = Math.min(max, Math.max(10, nextDueMillis - clock.millis()));
        }
        return Duration.ofMillis(max);
    }

    private void answered() {
        lastAnswerMillis = clock.millis();
    }

    private void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // stop() or watchdog: the loop re-checks running
        }
    }

    void stop() {
        running = false;
        restart();
    }

    void join(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(timeout);
        }
    }
}
