package dev.packline.queue;

import java.time.Duration;

/**
 * One delivery of a job to a worker. {@code attempt} counts from 1; {@code token} fences the
 * delivery: acks carrying an older token are refused once the job was recovered and redelivered.
 */
public record Job(QueueVersion queue, String id, String payload, int attempt, int maxAttempts, Duration timeout,
                  String token, long availableAtMillis) {

    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }
}
