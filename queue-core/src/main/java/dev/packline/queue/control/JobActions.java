package dev.packline.queue.control;

import dev.packline.queue.JobAction;
import dev.packline.queue.JobActionOutcome;
import dev.packline.queue.JobActionResult;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An admin's actions on jobs of a queue version: on one job, on chosen ids, or on every job in a
 * state that passes a filter. The broker applies each batch of ids in one atomic script that
 * judges every job by where it is at that moment, so a job that moved since it was listed is
 * skipped with a named outcome instead of being acted on wrongly. A bulk action is atomic per job,
 * not across the whole set: jobs arriving meanwhile are not taken.
 */
public final class JobActions {
    private final QueueBroker broker;
    private final JobBrowser browser;

    public JobActions(QueueBroker broker) {
        this.broker = broker;
        this.browser = new JobBrowser(broker);
    }

    public JobActionResult cancel(QueueVersion queue, String id) {
        return one(queue, JobAction.CANCEL, id);
    }

    public JobActionResult runNow(QueueVersion queue, String id) {
        return one(queue, JobAction.RUN_NOW, id);
    }

    public JobActionResult requeue(QueueVersion queue, String id) {
        return one(queue, JobAction.REQUEUE, id);
    }

    public JobActionResult delete(QueueVersion queue, String id) {
        return one(queue, JobAction.DELETE, id);
    }

    /** The action on chosen jobs, one result per id in order. */
    public List<JobActionResult> act(QueueVersion queue, JobAction action, List<String> ids) {
        return broker.act(queue, action, ids);
    }

    /** How many jobs a bulk action would take now (a confirmation prompt shows it). */
    public long count(QueueVersion queue, JobState state, JobFilter filter, JobAction action) {
        requireApplies(action, state);
        return browser.count(queue, state, filter);
    }

    /** The action on every job in {@code state} that passes {@code filter}; throws naming the problem when the action never applies to that state. */
    public BulkResult bulk(QueueVersion queue, JobState state, JobFilter filter, JobAction action) {
        requireApplies(action, state);
        List<String> ids = browser.matchingIds(queue, state, filter);
        Map<JobActionOutcome, Integer> outcomes = new EnumMap<>(JobActionOutcome.class);
        for (JobActionResult result : broker.act(queue, action, ids)) {
            outcomes.merge(result.outcome(), 1, Integer::sum);
        }
        return new BulkResult(queue, action, state, ids.size(), outcomes);
    }

    /** Whether an action can apply to jobs in a state at all. */
    public static boolean applies(JobAction action, JobState state) {
        return switch (action) {
            case CANCEL -> state.isWaiting() || state == JobState.ACTIVE;
            case RUN_NOW -> state == JobState.DELAYED || state == JobState.RETRY;
            case REQUEUE -> state == JobState.DEAD;
            case DELETE -> state != JobState.ACTIVE;
        };
    }

    private static void requireApplies(JobAction action, JobState state) {
        if (!applies(action, state)) {
            throw new IllegalArgumentException(switch (action) {
                case CANCEL -> "only pending, delayed, retrying and running jobs can be cancelled, not " + state.displayName() + " ones";
                case RUN_NOW -> "only delayed and retrying jobs can be run now, not " + state.displayName() + " ones";
                case REQUEUE -> "only dead letters can be requeued, not " + state.displayName() + " jobs";
                case DELETE -> "running jobs cannot be deleted; cancel them first";
            });
        }
    }

    private JobActionResult one(QueueVersion queue, JobAction action, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a job id is required");
        }
        return broker.act(queue, action, List.of(id)).get(0);
    }
}
