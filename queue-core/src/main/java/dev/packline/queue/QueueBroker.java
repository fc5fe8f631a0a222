package dev.packline.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * All access to the queue's storage. The only implementation keeps everything in Redis
 * ({@link dev.packline.queue.redis.RedisQueueBroker}); every state change is one atomic script.
 * Calls fail with {@link QueueUnavailableException} when Redis cannot be reached.
 */
public interface QueueBroker extends AutoCloseable {

    // ---- registry of queues and versions

    Set<String> queueNames();

    /** Creates the next version of a queue (v1 for a new queue); it becomes current if the queue had none. */
    QueueVersion createVersion(String queueName);

    /**
     * Creates version 1 of a queue that never had a version, race-free: of several callers at once,
     * exactly one creates it. The others, and callers on a queue that already exists, get
     * {@link FirstVersion.Outcome#EXISTED} with the current version, if there is one yet.
     */
    FirstVersion createFirstVersion(String queueName);

    /** The version enqueue uses when none is named, if the queue exists. */
    Optional<QueueVersion> currentVersion(String queueName);

    void setCurrentVersion(QueueVersion queue);

    /** Every version of a queue that has not been obliterated, oldest first. */
    List<QueueVersion> versions(String queueName);

    /** Applies a lifecycle change (drain, retire, pause, resume); throws {@link QueueStateException} when refused. */
    VersionState changeState(QueueVersion queue, VersionChange change, boolean force);

    // ---- producer

    /** Adds jobs in one round trip (per 500 jobs). Throws {@link VersionNotAcceptingJobsException}. */
    List<Enqueued> enqueue(QueueVersion queue, List<NewJob> jobs);

    // ---- worker runtime

    /**
     * Hands up to {@code max} ready jobs to the worker, each moved into the worker's active list
     * first. {@code movedId} is a job {@link #awaitJob} already moved there, or null.
     */
    Fetch fetch(QueueVersion queue, String workerId, int max, String movedId, Duration workerLease);

    /** Blocks up to {@code timeout} for a pending job and moves it into the worker's active list. */
    Optional<String> awaitJob(QueueVersion queue, String workerId, Duration timeout);

    /** Acknowledges finished deliveries; the result says, per ack, whether it was still this worker's delivery. */
    List<Boolean> complete(QueueVersion queue, String workerId, List<Ack> acks);

    FailOutcome fail(QueueVersion queue, String workerId, Failure failure);

    /**
     * Stores the progress of a job this worker runs, fenced by the delivery's token; false when the
     * delivery is no longer this worker's (lease lost). Cleared when the delivery ends.
     */
    boolean reportProgress(QueueVersion queue, String workerId, Job job, JobProgress progress);

    /** Extends the worker's lease on a version; returns the version's state, empty when it no longer exists. */
    Optional<VersionState> heartbeat(QueueVersion queue, String workerId, Duration lease);

    /** Publishes what the admin tool shows about a live worker; it expires unless refreshed. */
    void publishWorkerInfo(String workerId, String json, Duration ttl);

    /** The published JSON of every worker whose information has not expired. */
    List<String> workerInfos();

    /**
     * The ids of this worker's running jobs on a version that an admin asked to cancel (read at every
     * heartbeat); marks of jobs that ended meanwhile are forgotten.
     */
    List<String> cancelsRequested(QueueVersion queue, String workerId);

    /** Takes (reads and deletes) what an admin asked this worker to do, if anything. */
    Optional<WorkerCommand> takeWorkerCommand(String workerId);

    /** Returns jobs of workers whose lease expired, and jobs overdue past their deadline plus {@code overdueGrace}. */
    Recovery recover(QueueVersion queue, Duration overdueGrace);

    /** Gives back, at once and without counting an attempt, every job this worker still holds (graceful stop). */
    Recovery release(QueueVersion queue, String workerId);

    /**
     * Drops done records and dead letters past their retention age, and counts the running jobs of
     * every capped group again; returns the counts it corrected (usually none).
     */
    List<CountCorrection> trim(QueueVersion queue);

    // ---- inspection and control

    QueueCounts counts(QueueVersion queue);

    List<String> jobIds(QueueVersion queue, JobState state, int offset, int limit);

    Optional<JobRecord> job(QueueVersion queue, String id);

    /** The records of these jobs, in the order asked, leaving out ids the version does not know; one round trip per hash. */
    List<JobRecord> jobs(QueueVersion queue, List<String> ids);

    /**
     * Applies an admin's action to jobs of a version, one answer per id in order. Each batch is one
     * atomic script (the broker splits long lists); a job that moved since the caller looked is
     * judged by where it is now. Throws {@link QueueStateException} when the version serves no jobs
     * and the action would make one ready (run-now, requeue into a retired version).
     */
    List<JobActionResult> act(QueueVersion queue, JobAction action, List<String> ids);

    /** Leaves a command for a worker, kept for {@code ttl} unless the worker takes it first. */
    void sendWorkerCommand(String workerId, WorkerCommand command, Duration ttl);

    /** Live and recently expired worker leases on a version, worker id to lease expiry (epoch ms). */
    List<WorkerLease> workers(QueueVersion queue);

    int requeueDead(QueueVersion queue, List<String> ids);

    int deleteDead(QueueVersion queue, List<String> ids);

    /** Dead-letter events after the given stream id ("0" for all), oldest first. */
    List<DeadLetterEvent> deadLetterEvents(QueueVersion queue, String afterId, int max);

    /**
     * Dead-letter events for one consumer of the group {@code group}: first those it read before but
     * did not acknowledge (it crashed while alerting), then new ones. Each event goes to one consumer
     * of the group, so N workers alert once, not N times.
     */
    List<DeadLetterEvent> claimDeadLetterEvents(QueueVersion queue, String group, String consumer, int max);

    void acknowledgeDeadLetterEvents(QueueVersion queue, String group, List<String> streamIds);

    /**
     * Moves jobs that have not started (pending, delayed, retry) from a draining version to another
     * version, keeping their ids, attempts budget and remaining delay. Never loses a job: each is
     * copied to the target before the source forgets it, and a migration interrupted half-way is
     * finished by the next one. Returns how many moved.
     */
    int migrate(QueueVersion from, QueueVersion to, int max);

    /**
     * Sets a named group's weight and cap on a version; jobs parked by a lower cap go back as far as
     * the new cap allows. Returns how many went back.
     */
    int setGroupSettings(QueueVersion queue, String group, GroupSettings settings);

    /** Every group of a version that has settings, running jobs or parked jobs, by name. */
    /** Ready jobs per priority level, urgent first, and how long the next of each has waited (metrics). */
    List<LevelStatus> levels(QueueVersion queue);

    List<GroupStatus> groups(QueueVersion queue);

    /** Deletes every key of the version; refused (QueueStateException) unless retired and idle, or forced. */
    long obliterate(QueueVersion queue, boolean force);

    @Override
    void close();

    enum VersionChange { DRAIN, RETIRE, PAUSE, RESUME }

    enum FailOutcome {
        RETRY_SCHEDULED, DEAD_LETTERED, LEASE_LOST,
        /** an admin asked to cancel the job: it ended as cancelled, never retried */
        CANCELLED
    }

    /** The result of a fetch: jobs handed out, whether the version is serving, and when the next scheduled job is due. */
    record Fetch(Status status, List<Job> jobs, long nextDueMillis) {
        public enum Status { OK, PAUSED, RETIRED, MISSING }
    }

    record Ack(String jobId, String token) {
    }

    /** A failed delivery; {@code retryAtMillis} is when a retry is due; {@code rejected} skips retries (bad input). */
    record Failure(Job job, String error, long retryAtMillis, boolean rejected) {
    }

    record Recovery(int returned, int deadLettered) {
        public static final Recovery NONE = new Recovery(0, 0);

        public Recovery plus(Recovery other) {
            return new Recovery(returned + other.returned, deadLettered + other.deadLettered);
        }
    }

    record WorkerLease(String workerId, long expiresAtMillis) {
    }

    /**
     * An entry of a version's events stream: a job dead-lettered ({@link Kind#DEAD}: its payload
     * stays with the dead letter), or cancelled by an admin ({@link Kind#CANCELLED}: the payload went
     * with the cancel and travels in the event, so the owner of the work the job was part of can end
     * it). Consumers that alert on failures skip the cancels.
     */
    record DeadLetterEvent(String streamId, QueueVersion queue, Kind kind, String jobId, int attempts, String worker,
                           String reason, String error, java.util.Optional<String> payload) {
        public enum Kind { DEAD, CANCELLED }
    }
}
