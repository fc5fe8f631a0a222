package dev.packline.queue.upgrade;

import dev.packline.queue.Job;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's view of the shadow runs: per served version, the run copying its jobs and the
 * candidate version's backlog, read again at most once per {@code refresh} (so a run an admin
 * starts or stops reaches every worker within that time, at one HGET and one count per version per
 * refresh), and the recording of each side's result. The real handler reports what it produced
 * here ({@link #recordReal}); {@link ShadowTap} does the rest. Recording never throws: a comparison
 * that cannot be written is logged and lost, the job it belongs to is not.
 */
public final class ShadowRuns {
    private static final Logger log = LoggerFactory.getLogger(ShadowRuns.class);
    /** How often a worker looks again at a version's shadow run and at the candidate's backlog. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(2);

    /** Told about every copy and verdict (the worker's metrics); must be fast and must not throw. */
    public interface Listener {
        void copied(QueueVersion source, QueueVersion candidate, ShadowStore.Copy copy);

        void compared(QueueVersion source, QueueVersion candidate, ShadowVerdict verdict);
    }

    /** A version's run (if any) and the unfinished jobs of its candidate, as read at {@code readAt}. */
    record Current(Optional<ShadowRun> run, long candidateBacklog, long readAt) {
    }

    private final ShadowStore store;
    private final QueueBroker broker;
    private final Clock clock;
    private final Duration refresh;
    private final Listener listener;
    private final Map<QueueVersion, Current> current = new ConcurrentHashMap<>();
    /** Deliveries running now whose job was copied, by version, id and token: only these have a real side to record. */
    private final Map<String, ShadowRun> copiedDeliveries = new ConcurrentHashMap<>();

    public ShadowRuns(ShadowStore store, QueueBroker broker, Clock clock, Duration refresh, Listener listener) {
        this.store = store;
        this.broker = broker;
        this.clock = clock;
        this.refresh = refresh;
        this.listener = listener;
    }

    /**
     * Records what the real delivery of a job produced, if this delivery's job was copied to a
     * candidate (the real handler calls this with its output's facts once they are final; for any
     * other job it is a map lookup).
     */
    public void recordReal(Job job, ShadowResult result) {
        ShadowRun run = copiedDeliveries.get(delivery(job));
        if (run != null) {
            record(run.source(), run.candidate(), job.id(), ShadowStore.Side.REAL, result);
        }
    }

    /** The tap copied this delivery's job: its real result is wanted until {@link #ended}. */
    void copied(Job job, ShadowRun run) {
        copiedDeliveries.put(delivery(job), run);
    }

    void ended(Job job) {
        copiedDeliveries.remove(delivery(job));
    }

    private static String delivery(Job job) {
        return job.queue() + "\n" + job.id() + "\n" + job.token();
    }

    void record(QueueVersion source, QueueVersion candidate, String realJobId, ShadowStore.Side side, ShadowResult result) {
        try {
            listener.compared(source, candidate, store.record(source, candidate, realJobId, side, result));
        } catch (RuntimeException e) {
            log.warn("shadow comparison {} -> {}: cannot record the {} result of {} (this job's comparison is lost): {}",
                    source, candidate, side, realJobId, e.toString());
        }
    }

    void count(ShadowRun run, ShadowStore.Copy copy) {
        store.count(run, copy);
        listener.copied(run.source(), run.candidate(), copy);
    }

    /** The run copying this version's jobs and the candidate's backlog, read again at most once per refresh. */
    Current current(QueueVersion version) {
        long now = clock.millis();
        Current cached = current.get(version);
        if (cached != null && now - cached.readAt() < refresh.toMillis()) {
            return cached;
        }
        Optional<ShadowRun> run = store.runFrom(version);
        long backlog = run.isPresent() ? broker.counts(run.get().candidate()).unfinished() : 0;
        Current fresh = new Current(run, backlog, now);
        current.put(version, fresh);
        return fresh;
    }
}
