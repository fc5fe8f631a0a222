package dev.packline.queue.upgrade;

import dev.packline.queue.QueueVersion;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One shadow run of a queue: a stable share of version {@code from}'s jobs is copied to version
 * {@code to} as shadow jobs, which the candidate handler runs with every side effect redirected;
 * both deliveries' outputs are then compared ({@link ShadowStore}). A shadow job's id is
 * {@code shadow:FROM:ID} (its source version and its real job's id), so a copy made twice (a
 * redelivered real job) is enqueued once, any handler can tell a shadow job from a real one by its
 * id alone, and the shadow side finds its comparison even after the run was stopped.
 *
 * @param share       basis points of {@code from}'s jobs copied (1000 = 10%), by a stable hash of the job id
 * @param maxBacklog  copies stop (and are counted as dropped) while {@code to} holds this many unfinished jobs
 * @param attempts    a shadow job's own retry budget: after this many failed attempts it is recorded as failed
 * @param startedAt   epoch milliseconds
 */
public record ShadowRun(String queue, int from, int to, int share, int maxBacklog, int attempts, long startedAt) {
    /** What a shadow job's id starts with; the rest is the id of the real job it copies. */
    public static final String ID_PREFIX = "shadow:";
    public static final int DEFAULT_MAX_BACKLOG = 1000;
    public static final int DEFAULT_ATTEMPTS = 2;
    /** How long shadow results and examples are kept after the last one was recorded. */
    public static final Duration RETENTION = Duration.ofDays(7);

    public ShadowRun {
        QueueVersion.requireValidName(queue);
        if (from < 1 || to < 1) {
            throw new IllegalArgumentException("shadow run versions must be 1 or more, got --from " + from + " --to " + to);
        }
        if (from == to) {
            throw new IllegalArgumentException("a shadow run copies jobs to another version: --from and --to are both " + from);
        }
        if (share < 1 || share > StableBucket.ALL) {
            throw new IllegalArgumentException("shadow share must be above 0% and at most 100%, got " + share / 100.0 + "%");
        }
        if (maxBacklog < 1) {
            throw new IllegalArgumentException("shadow max backlog must be 1 or more, got " + maxBacklog);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("shadow attempts must be 1 or more, got " + attempts);
        }
    }

    public QueueVersion source() {
        return QueueVersion.of(queue, from);
    }

    public QueueVersion candidate() {
        return QueueVersion.of(queue, to);
    }

    /** Whether this real job is one the run copies (stable: the same answer on every delivery and worker). */
    public boolean copies(String jobId) {
        return !isShadowJob(jobId) && StableBucket.within("shadow:" + queue + ":" + from + ":" + to, jobId, share);
    }

    public static boolean isShadowJob(String jobId) {
        return jobId.startsWith(ID_PREFIX);
    }

    /** The id of this run's shadow copy of a real job. */
    public String shadowJobId(String realJobId) {
        return ID_PREFIX + from + ":" + Objects.requireNonNull(realJobId, "realJobId");
    }

    /** What a shadow job's id says: the version its real job is on and that job's id. */
    public record Copied(int from, String realJobId) {
    }

    /** The source version and real job a shadow job copies; empty for a real job (or a malformed id). */
    public static Optional<Copied> copied(String jobId) {
        if (!isShadowJob(jobId)) {
            return Optional.empty();
        }
        int colon = jobId.indexOf(':', ID_PREFIX.length());
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Copied(Integer.parseInt(jobId.substring(ID_PREFIX.length(), colon)), jobId.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** How the admin sees the run: {@code package v3 -> v4, 10% (backlog bound 1000, 2 attempts)}. */
    public String describe() {
        return queue + " v" + from + " -> v" + to + ", " + share / 100.0 + "% of jobs (backlog bound " + maxBacklog
                + ", " + attempts + " attempt" + (attempts == 1 ? "" : "s") + " per shadow job)";
    }
}
