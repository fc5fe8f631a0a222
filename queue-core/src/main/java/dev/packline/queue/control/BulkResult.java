package dev.packline.queue.control;

import dev.packline.queue.JobAction;
import dev.packline.queue.JobActionOutcome;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueVersion;

import java.util.Map;

/**
 * What a bulk action did: how many jobs matched when it looked, and how many ended with each
 * outcome (jobs that moved on in between count under {@code NOT_FOUND} or {@code NOT_APPLICABLE}).
 */
public record BulkResult(QueueVersion queue, JobAction action, JobState state, int matched, Map<JobActionOutcome, Integer> outcomes) {
    public BulkResult {
        outcomes = Map.copyOf(outcomes);
    }

    /** Jobs the action took effect on. */
    public int applied() {
        return outcomes.entrySet().stream().filter(e -> e.getKey().applied()).mapToInt(Map.Entry::getValue).sum();
    }

    public int count(JobActionOutcome outcome) {
        return outcomes.getOrDefault(outcome, 0);
    }
}
