package dev.packline.api.limits;

import dev.packline.api.auth.Publishers.Limits;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.Reason;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.queue.Priority;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Who may send which request priority. A publisher may use the levels its configuration lists
 * ({@code limits.priorities}; normal and bulk when absent), so {@code urgent} must be granted; an
 * urgent request may have at most {@code limits.maxUrgentChannels} channels, because urgent jobs
 * take four slots in five from every other publisher's normal work while they wait: it is for the
 * hotfix someone waits on, not for moving a backlog ahead. A refusal is 403
 * {@code priority_not_allowed} on the field {@code priority}; nothing is recorded or enqueued.
 */
public final class PriorityRule {
    private PriorityRule() {
    }

    /** Throws the refusal when {@code publisher} may not submit {@code request} at its priority. */
    public static void check(String publisher, Limits limits, PackagingRequest request) {
        Priority priority = request.queuePriority();
        if (!limits.priorities().contains(priority)) {
            throw ApiError.field(403, Reason.PRIORITY_NOT_ALLOWED, "priority", "publisher '" + publisher + "' may not send "
                    + priority.wireName() + " requests; it may send " + names(limits) + " (limits.priorities in the API configuration)");
        }
        int channels = request.channels().size();
        if (priority == Priority.URGENT && channels > limits.maxUrgentChannels()) {
            throw ApiError.field(403, Reason.PRIORITY_NOT_ALLOWED, "priority", "an urgent request may have at most "
                    + limits.maxUrgentChannels() + " channels for publisher '" + publisher + "', this one has " + channels
                    + "; send it as normal, or split off the channels that are urgent");
        }
    }

    private static String names(Limits limits) {
        return Arrays.stream(Priority.values()).filter(limits.priorities()::contains).map(Priority::wireName)
                .collect(Collectors.joining(", "));
    }
}
