package dev.packline.queue.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.WorkerCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker: wires the runtime's parts for a set of subscriptions.
 *
 * <p>Start order: heartbeat first (the lease must exist before any job is held), then the acker
 * (outcomes need a writer before any job can finish), the fetch loops, and last the recoverer,
 * janitor and watchdog, which only look after the rest.
 *
 * <p>Shutdown order is the reverse of what would lose work: stop fetching, let running jobs finish
 * for up to {@code shutdownTimeout} (then interrupt them), write every outcome, give the jobs still
 * held back to pending at once, and only then stop heartbeating, so no other worker recovers a job
 * this one is still settling.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param workerId unique per process; {@link #newWorkerId()} makes one
     */
    public record Params(QueueBroker broker, String workerId, List<Subscription> subscriptions, Clock clock,
                         WorkerTimings timings, WorkerEvents events, long maxJobs) {
        public Params {
            Objects.requireNonNull(broker, "broker");
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(timings, "timings");
            Objects.requireNonNull(events, "events");
            if (subscriptions.isEmpty()) {
                throw new IllegalArgumentException("a worker needs at least one subscription");
            }
            if (subscriptions.stream().map(Subscription::queue).distinct().count() != subscriptions.size()) {
                throw new IllegalArgumentException("a worker can subscribe to each queue version once; got " + subscriptions.stream().map(Subscription::queue).toList());
            }
            if (maxJobs < 0) {
                throw new IllegalArgumentException("maxJobs must be 0 (no limit) or more, got " + maxJobs);
            }
            subscriptions = List.copyOf(subscriptions);
        }

        public static Params of(QueueBroker broker, List<Subscription> subscriptions) {
            return new Params(broker, newWorkerId(), subscriptions, Clock.systemUTC(), WorkerTimings.DEFAULT, WorkerEvents.NONE, 0);
        }

        public Params withTimings(WorkerTimings newTimings) {
            return new Params(broker, workerId, subscriptions, clock, newTimings, events, maxJobs);
        }

        public Params withClock(Clock newClock) {
            return new Params(broker, workerId, subscriptions, newClock, timings, events, maxJobs);
        }

        public Params withEvents(WorkerEvents newEvents) {
            return new Params(broker, workerId, subscriptions, clock, timings, newEvents, maxJobs);
        }

        /** After starting this many jobs the worker stops fetching, finishes what it holds, and reports RECYCLE. */
        public Params withMaxJobs(long max) {
            return new Params(broker, workerId, subscriptions, clock, timings, events, max);
        }

        public Params withWorkerId(String id) {
            return new Params(broker, id, subscriptions, clock, timings, events, maxJobs);
        }
    }

    private final Params params;
    private final long startedMillis;
    private final ScheduledThreadPoolExecutor timer;
    private final Acker acker;
    private final List<Processor> processors = new ArrayList<>();
    private final List<Fetcher> fetchers = new ArrayList<>();
    private final Heartbeater heartbeater;
    private final Recoverer recoverer;
    private final Janitor janitor;
    private final Watchdog watchdog;
    private final JobBudget budget;
    private final AtomicInteger liveFetchers;
    private final CompletableFuture<StopReason> fetchingStopped = new CompletableFuture<>();
    private boolean started;
    private boolean closed;

    public Worker(Params params) {
        this.params = params;
        this.startedMillis = params.clock().millis();
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("job-timeouts").daemon().factory());
        this.timer.setRemoveOnCancelPolicy(true);
        this.acker = new Acker(params.broker(), params.workerId(), params.events());
        this.budget = new JobBudget(params.maxJobs());
        this.liveFetchers = new AtomicInteger(params.subscriptions().size());
        for (Subscription s : params.subscriptions()) {
            Processor processor = new Processor(s, acker, timer, params.events(), params.clock(), params.broker(), params.workerId());
            processors.add(processor);
            fetchers.add(new Fetcher(params.broker(), params.workerId(), s, processor, params.clock(), params.timings(),
                    params.events(), budget, this::fetcherStopped));
        }
        this.heartbeater = new Heartbeater(params.broker(), params.workerId(), params.subscriptions(), params.timings(),
                this::describe, params.events(), new AdminRequests(params.broker(), params.workerId(), processors, this::commanded));
        this.recoverer = new Recoverer(params.broker(), params.subscriptions(), params.timings(), params.events());
        this.janitor = new Janitor(params.broker(), params.subscriptions(), params.timings(), params.events());
        this.watchdog = new Watchdog(fetchers, params.clock(), params.timings(), params.events());
    }

    public String id() {
        return params.workerId();
    }

    public synchronized Worker start() {
        if (started) {
            throw new IllegalStateException("worker " + id() + " already started");
        }
        started = true;
        heartbeater.beat(); // fails fast with a clear error when Redis is unreachable at start
        heartbeater.start();
        acker.start();
        fetchers.forEach(Fetcher::start);
        recoverer.start();
        janitor.start();
        watchdog.start();
        log.info("worker {} started on {}", id(), params.subscriptions().stream().map(s -> s.queue() + " x" + s.concurrency()).toList());
        return this;
    }

    /** Jobs running right now across all subscriptions. */
    public int inFlight() {
        return processors.stream().mapToInt(Processor::inFlight).sum();
    }

    /** Jobs of one queue version running right now (each on its own virtual thread): 0 for a version this worker does not serve. */
    public int inFlight(QueueVersion queue) {
        return processors.stream().filter(p -> p.queue().equals(queue)).mapToInt(Processor::inFlight).sum();
    }

    /**
     * The fetch loops that should run and do not: a loop whose thread ended, or one silent for more
     * than twice {@code stallAfter} while not waiting for a job slot (the watchdog restarts a loop
     * after one stallAfter, so a loop still silent after two is one the watchdog could not revive).
     * Empty while every loop works, and once the loops stopped on purpose (close, recycle,
     * retirement: the process is on its way out). The worker's liveness probe ({@code /healthz}).
     */
    public List<String> stoppedFetchLoops() {
        long now = params.clock().millis();
        long limit = 2 * params.timings().stallAfter().toMillis();
        List<String> stopped = new ArrayList<>();
        for (Fetcher f : fetchers) {
            if (f.isDead()) {
                stopped.add(f.queue() + ": its thread has ended");
            } else if (f.isRunning() && !f.waitingForSlot() && now - f.lastAnswerMillis() > limit) {
                stopped.add(f.queue() + ": no answer from Redis for " + (now - f.lastAnswerMillis()) + " ms");
            }
        }
        return stopped;
    }

    /** Why every fetch loop of a worker stopped on its own. */
    public enum StopReason {
        /** every subscribed version was retired or removed */
        RETIRED,
        /** the worker started its maximum number of jobs, or an admin asked it to recycle: the process should exit and be started afresh */
        RECYCLE,
        /** an admin asked the worker to stop: the process should exit and not be started again */
        STOPPED_BY_ADMIN
    }

    /**
     * Completes when every fetch loop has stopped on its own (not by {@link #close()}); the owner
     * then closes the worker, which lets running jobs finish, and exits the process if it recycles.
     */
    public CompletableFuture<StopReason> fetchingStopped() {
        return fetchingStopped;
    }

    /** An admin's command, taken at a heartbeat: stop fetching now; the owner then closes the worker as for a recycle. */
    private void commanded(WorkerCommand command) {
        StopReason reason = command == WorkerCommand.RECYCLE ? StopReason.RECYCLE : StopReason.STOPPED_BY_ADMIN;
        log.info("worker {} stops fetching ({}); {} jobs still running finish first", id(), reason, inFlight());
        fetchers.forEach(Fetcher::stop);
        fetchingStopped.complete(reason);
    }

    private void fetcherStopped() {
        if (liveFetchers.decrementAndGet() == 0) {
            fetchingStopped.complete(budget.isSpent() ? StopReason.RECYCLE : StopReason.RETIRED);
        }
    }

    @Override
    public synchronized void close() {
        if (!started || closed) {
            return;
        }
        closed = true;
        Duration grace = params.timings().shutdownTimeout();
        log.info("worker {} stopping: {} jobs running, waiting up to {} ms for them", id(), inFlight(), grace.toMillis());
        watchdog.close();
        fetchers.forEach(Fetcher::stop);
        try {
            for (Fetcher f : fetchers) {
                f.join(Duration.ofSeconds(5));
            }
            long deadline = System.nanoTime() + grace.toNanos();
            for (Processor p : processors) {
                if (!p.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    log.warn("worker {}: {} jobs still running after the shutdown timeout; interrupting and returning them",
                            id(), p.abandonRunning());
                }
            }
        } catch (InterruptedException e) {
            processors.forEach(Processor::abandonRunning);
            Thread.currentThread().interrupt();
        }
        acker.close(Duration.ofSeconds(10));
        for (Subscription s : params.subscriptions()) {
            try {
                QueueBroker.Recovery released = params.broker().release(s.queue(), id());
                if (released.returned() > 0) {
                    log.info("worker {} gave {} unfinished jobs on {} back to the queue", id(), released.returned(), s.queue());
                }
            } catch (RuntimeException e) {
                log.error("worker {} could not give its jobs on {} back; they return when its lease expires: {}", id(), s.queue(), e.toString());
            }
        }
        recoverer.close();
        janitor.close();
        heartbeater.close();
        timer.shutdownNow();
        log.info("worker {} stopped", id());
    }

    private String describe() {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id());
        node.put("host", hostName());
        node.put("pid", ProcessHandle.current().pid());
        node.put("startedAt", startedMillis);
        node.put("heartbeatAt", params.clock().millis());
        node.put("inFlight", inFlight());
        long started = processors.stream().mapToLong(Processor::started).sum();
        node.put("jobsStarted", started);
        node.put("jobsDone", Math.max(0, started - inFlight()));
        node.put("jobsLeft", budget.left()); // -1: no limit
        node.put("maxJobs", params.maxJobs());
        node.put("generation", System.getenv().getOrDefault("PACKLINE_WORKER_GENERATION", "0"));
        node.putPOJO("queues", params.subscriptions().stream().map(s -> s.queue().label()).toList());
        return node.toString();
    }

    public static String newWorkerId() {
        return hostName() + "-" + ProcessHandle.current().pid() + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "");
        }
    }

    /** For a worker that reads queue versions from the outside, e.g. the admin tool's checks. */
    public List<QueueVersion> queues() {
        return params.subscriptions().stream().map(Subscription::queue).toList();
    }
}
