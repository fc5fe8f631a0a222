package dev.packline.queue.worker;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.VersionState;
import dev.packline.redis.PeriodicTask;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps this worker's lease alive on every version it consumes, and publishes what the admin tool
 * shows about it. If heartbeats stop for longer than the lease, any live worker recovers the jobs
 * this one held. After each beat it runs {@code afterBeat} (the worker's {@link AdminRequests}).
 */
final class Heartbeater extends PeriodicTask {
    private final QueueBroker broker;
    private final String workerId;
    private final List<Subscription> subscriptions;
    private final Duration lease;
    private final Supplier<String> info;
    private final Runnable afterBeat;

    Heartbeater(QueueBroker broker, String workerId, List<Subscription> subscriptions, WorkerTimings timings,
                Supplier<String> info, WorkerEvents events, Runnable afterBeat) {
        super("heartbeater", timings.heartbeatInterval(), events);
        this.broker = broker;
        this.workerId = workerId;
        this.subscriptions = subscriptions;
        this.lease = timings.lease();
        this.info = info;
        this.afterBeat = afterBeat;
    }

    @Override
    protected void runOnce() {
        beat();
    }

    /** One heartbeat now; the worker calls it once before fetching so its lease exists from the start. */
    void beat() {
        for (Subscription s : subscriptions) {
            Optional<VersionState> state = broker.heartbeat(s.queue(), workerId, lease);
            if (state.isEmpty()) {
                log.warn("heartbeat: {} does not exist", s.queue());
            }
        }
        broker.publishWorkerInfo(workerId, info.get(), lease);
        afterBeat.run(); // after the lease is renewed: a failure here never costs the lease
    }
}
