package dev.packline.queue;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job to enqueue. The payload is JSON. A caller-given id makes enqueue idempotent: while a job
 * with that id is known to the version (pending, running, retrying, dead, or done within the
 * retention window) a second enqueue adds nothing. {@code priority} picks its level and
 * {@code group} (a publisher, or any key the producer chooses; null is the default group) the
 * round-robin share it waits in, see {@link Priority}.
 */
public record NewJob(String payload, String id, int maxAttempts, Duration timeout, Duration delay, Priority priority,
                     String group) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final int MAX_ID_LENGTH = 200;
    /** Group names are written into job records and Redis hash fields verbatim, so they keep to plain characters. */
    static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");

    public NewJob {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(priority, "priority");
        requireGroupName(group);
        if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH || !id.codePoints().allMatch(c -> c > ' ' && c != 0x7f))) {
            throw new IllegalArgumentException("job id must be 1 to " + MAX_ID_LENGTH
                    + " characters without spaces or control characters, got '" + id + "'");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
    }

    /** A job with a generated id and the default attempts, timeout, no delay, normal priority, the default group. */
    public static NewJob of(String payload) {
        return new NewJob(payload, null, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT, Duration.ZERO, Priority.NORMAL, null);
    }

    /** Checks a group name (null is the default group); throws naming the problem. */
    public static void requireGroupName(String group) {
        if (group != null && !GROUP_NAME.matcher(group).matches()) {
            throw new IllegalArgumentException("group must be 1 to 100 characters of letters, digits and . _ : @ -, got '" + group + "'");
        }
    }

    /** Whether the job waits in the default group at normal priority: the plain FIFO list, today's job format. */
    public boolean isPlain() {
        return priority == Priority.NORMAL && group == null;
    }

    public NewJob withId(String newId) {
        return new NewJob(payload, newId, maxAttempts, timeout, delay, priority, group);
    }

    public NewJob withMaxAttempts(int attempts) {
        return new NewJob(payload, id, attempts, timeout, delay, priority, group);
    }

    public NewJob withTimeout(Duration newTimeout) {
        return new NewJob(payload, id, maxAttempts, newTimeout, delay, priority, group);
    }

    public NewJob withDelay(Duration newDelay) {
        return new NewJob(payload, id, maxAttempts, timeout, newDelay, priority, group);
    }

    public NewJob withPriority(Priority newPriority) {
        return new NewJob(payload, id, maxAttempts, timeout, delay, newPriority, group);
    }

    public NewJob withGroup(String newGroup) {
        return new NewJob(payload, id, maxAttempts, timeout, delay, priority, newGroup);
    }
}
