package dev.packline.queue.worker;

import dev.packline.queue.Job;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.Failure;
import dev.packline.queue.QueueVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the handler of one subscription on a virtual thread per job, at most {@code concurrency} at
 * once (the fetcher takes a permit before it fetches). Enforces the hard timeout: at the deadline
 * the job is failed and its thread interrupted; a handler that ignores the interrupt is abandoned,
 * its permit freed, and whatever it does later is ignored. Each delivery is settled exactly once.
 * Deadlines are checked by one sweep every {@link #SWEEP_MILLIS} ms over the running jobs rather
 * than a timer task per job: scheduling and cancelling one per job cost more than the sweep, and a
 * hard timeout that fires up to a sweep late is still a hard timeout.
 */
final class Processor {
    private static final Logger log = LoggerFactory.getLogger(Processor.class);
    private static final int MAX_ERROR_LENGTH = 2000;
    static final long SWEEP_MILLIS = 25;

    private final Subscription subscription;
    private final QueueBroker broker;
    private final String workerId;
    private final Acker acker;
    private final WorkerEvents events;
    private final Clock clock;
    private final Semaphore permits;
    private final Map<Running, Boolean> running = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();

    private static final class Running {
        final Job job;
        final long startedNanos = System.nanoTime();
        final long deadlineNanos;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile Thread thread;

        Running(Job job) {
            this.job = job;
            this.deadlineNanos = startedNanos + job.timeout().toNanos();
        }
    }

    Processor(Subscription subscription, Acker acker, ScheduledExecutorService timer, WorkerEvents events, Clock clock,
              QueueBroker broker, String workerId) {
        this.broker = broker;
        this.workerId = workerId;
        this.subscription = subscription;
        this.acker = acker;
        this.events = events;
        this.clock = clock;
        this.permits = new Semaphore(subscription.concurrency());
        // runs until the worker shuts its timer down
        timer.scheduleWithFixedDelay(this::sweepDeadlines, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sweepDeadlines() {
        long now = System.nanoTime();
        for (Running r : running.keySet()) {
            if (now - r.deadlineNanos >= 0) {
                try {
                    timeOut(r);
                } catch (RuntimeException e) {
                    // a task of scheduleWithFixedDelay that throws is never run again: keep the sweep alive
                    log.error("hard timeout of job {} on {} could not be enforced", r.job.id(), r.job.queue(), e);
                }
            }
        }
    }


    /** Waits for one free slot, then takes up to {@code max} in all; returns how many it took. */
    int acquire(int max) throws InterruptedException {
        permits.acquire();
        int taken = 1;
        while (taken < max && permits.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    void release(int count) {
        if (count > 0) {
            permits.release(count);
        }
    }

    QueueVersion queue() {
        return subscription.queue();
    }

    int inFlight() {
        return running.size();
    }

    long started() {
        return started.get();
    }

    /** Starts the job; the caller holds one permit for it, which the job gives back when settled. */
    void dispatch(Job job) {
        Running r = new Running(job);
        Thread thread = Thread.ofVirtual().name("job " + job.queue() + " " + job.id()).unstarted(() -> execute(r));
        r.thread = thread; // before the sweep can see it
        running.put(r, Boolean.TRUE);
        started.incrementAndGet();
        thread.start();
    }

    private void execute(Running r) {
        Job job = r.job;
        events.jobStarted(job, Duration.ofMillis(Math.max(0, clock.millis() - job.availableAtMillis())));
        Throwable error = null;
        try {
            subscription.handler().handle(job, new ProgressWriter(broker, workerId, job, clock));
        } catch (Throwable t) {
            error = t;
        }
        if (!r.settled.compareAndSet(false, true)) {
            if (error != null) {
                log.debug("job {} on {} finished after it was settled (timeout or shutdown): {}", job.id(), job.queue(), error.toString());
            }
            return;
        }
        if (error == null) {
            acker.submit(new Acker.Settlement(job, null, false, r.startedNanos));
        } else if (error instanceof RejectJobException) {
            acker.submit(new Acker.Settlement(job, new Failure(job, describe(error), clock.millis(), true), false, r.startedNanos));
        } else {
            if (error instanceof Error fatal && !(error instanceof AssertionError)) {
                log.error("job {} on {} threw {}", job.id(), job.queue(), fatal.toString(), fatal);
            }
            acker.submit(new Acker.Settlement(job, new Failure(job, describe(error), retryAt(job), false), false, r.startedNanos));
        }
        finish(r);
    }

    private void timeOut(Running r) {
        if (!r.settled.compareAndSet(false, true)) {
            return;
        }
        Job job = r.job;
        log.warn("job {} on {} exceeded its hard timeout of {} ms; interrupting it", job.id(), job.queue(), job.timeout().toMillis());
        r.thread.interrupt();
        String error = "hard timeout of " + job.timeout().toMillis() + " ms exceeded (attempt " + job.attempt() + ")";
        acker.submit(new Acker.Settlement(job, new Failure(job, error, retryAt(job), false), true, r.startedNanos));
        finish(r);
    }

    /**
     * An admin cancelled a job this processor runs: interrupts it and settles the delivery as a
     * failure, which the broker ends as cancelled (the cancel mark is there), never as a retry.
     * False when the job does not run here (anymore).
     */
    boolean cancel(String jobId) {
        for (Running r : running.keySet()) {
            if (r.job.id().equals(jobId) && r.settled.compareAndSet(false, true)) {
                r.thread.interrupt();
                acker.submit(new Acker.Settlement(r.job, new Failure(r.job, "cancelled by an admin (attempt " + r.job.attempt() + ")",
                        clock.millis(), false), false, r.startedNanos));
                finish(r);
                return true;
            }
        }
        return false;
    }

    private void finish(Running r) {
        running.remove(r);
        permits.release();
    }

    private long retryAt(Job job) {
        return clock.millis() + subscription.backoff().delayAfter(job.attempt()).toMillis();
    }

    /** Waits until no job runs, at most {@code timeout}; true when idle. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Shutdown after the grace period: interrupts the jobs still running without settling them;
     * the worker then releases them in Redis so another worker runs them.
     */
    int abandonRunning() {
        int abandoned = 0;
        for (Running r : running.keySet()) {
            if (r.settled.compareAndSet(false, true)) {
                r.thread.interrupt();
                finish(r);
                abandoned++;
            }
        }
        return abandoned;
    }

    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(error instanceof RejectJobException ? "" : error.getClass().getSimpleName() + ": ");
        text.append(error.getMessage());
        for (Throwable cause = error.getCause(); cause != null && text.length() < MAX_ERROR_LENGTH; cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text.toString();
    }
}
