package dev.packline.queue.upgrade;

import dev.packline.queue.Enqueued;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionNotAcceptingJobsException;

import java.util.List;
import java.util.Optional;

/**
 * Enqueues following the queue's routing rules: a batch that shares one {@link RouteRequest} (the
 * jobs of one request) goes, whole, to the version of the first rule that routes it, else to the
 * current version. A routed version that no longer takes jobs (drained or rolled back since the
 * rule was set) does not lose the batch: it goes to the current version, and the decision says so.
 */
public final class RoutedClient {
    /** The rule name of a batch no rule routed. */
    public static final String CURRENT = "current";

    private final QueueClient client;
    private final RouteTable routes;

    public RoutedClient(QueueClient client, RouteTable routes) {
        this.client = client;
        this.routes = routes;
    }

    /** Where a batch went and which rule chose it ({@link #CURRENT} when none did). */
    public record Routed(QueueVersion version, String rule, List<Enqueued> jobs) {
    }

    public Routed enqueueBatch(String queueName, RouteRequest request, List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("no jobs to enqueue on queue '" + queueName + "'");
        }
        Optional<RouteRule> rule = routes.decide(queueName, request);
        if (rule.isPresent()) {
            QueueVersion target = QueueVersion.of(queueName, rule.get().version());
            try {
                return new Routed(target, rule.get().id(), client.enqueueBatch(target, jobs));
            } catch (VersionNotAcceptingJobsException e) {
                List<Enqueued> enqueued = client.enqueueBatch(queueName, jobs);
                return new Routed(enqueued.get(0).queue(), CURRENT + " (" + rule.get().id()
                        + ": " + target + " takes no jobs)", enqueued);
            }
        }
        List<Enqueued> enqueued = client.enqueueBatch(queueName, jobs);
        return new Routed(enqueued.get(0).queue(), CURRENT, enqueued);
    }
}
