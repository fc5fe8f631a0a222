package dev.packline.pipeline;

import dev.packline.pipeline.job.PackageJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionNotAcceptingJobsException;
import dev.packline.queue.upgrade.RouteTable;
import dev.packline.queue.upgrade.RoutedClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a validated packaging request into its request state and one package job per channel
 * (ids {@code pkg:REQUEST:INDEX}), enqueued to the package queue's current version in batches, in
 * the publisher's group and at the request's priority: one publisher's large request shares the package slots round-robin with
 * the others' instead of holding them up (see queue-core's fair_queue.lua).
 * Submitting the same request id again records nothing new and enqueues nothing twice.
 */
public final class Submitter {
    private static final int BATCH = 500;

    private final RequestStore store;
    private final QueueClient queue;
    private final int maxAttempts;
    private final Duration timeout;
    private final RoutedClient routed;
    private final RequestRoutes routes;

    public Submitter(RequestStore store, QueueClient queue, int maxAttempts, Duration timeout) {
        this(store, queue, maxAttempts, timeout, null, null);
    }

    private Submitter(RequestStore store, QueueClient queue, int maxAttempts, Duration timeout, RoutedClient routed, RequestRoutes routes) {
        this.store = store;
        this.queue = queue;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
        this.routed = routed;
        this.routes = routes;
    }

    /**
     * A submitter that follows the package queue's routing rules (queue-core's upgrade.RouteTable):
     * the first batch of a request is routed by the request's features, the others follow it, and
     * the decision is recorded in the request ({@link RequestRoutes}).
     */
    public Submitter withRoutes(RouteTable table, RequestRoutes record) {
        return new Submitter(store, queue, maxAttempts, timeout, new RoutedClient(queue, table), record);
    }

    /** Returns true when the request is new; throws IllegalArgumentException listing every problem of a bad request. */
    public boolean submit(PackagingRequest request) {
        List<RequestProblem> problems = request.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid packaging request: "
                    + String.join("; ", problems.stream().map(RequestProblem::toString).toList()));
        }
        boolean created = store.create(request);
        // enqueue even when the request existed: a submit that died half-way finishes here, and ids dedupe
        List<NewJob> batch = new ArrayList<>(BATCH);
        QueueVersion target = null;
        for (int i = 0; i < request.channels().size(); i++) {
            batch.add(NewJob.of(StageJobs.write(PackageJob.of(request, i))).withId(Stage.packageJobId(request.id(), i))
                    .withMaxAttempts(maxAttempts).withTimeout(timeout).withGroup(request.publisher())
                    .withPriority(request.queuePriority()));
            if (batch.size() == BATCH || i == request.channels().size() - 1) {
                target = enqueue(request, batch, target);
                batch.clear();
            }
        }
        return created;
    }

    /** One batch: the first follows the routes (when set), the next ones go where it went. Returns that version. */
    private QueueVersion enqueue(PackagingRequest request, List<NewJob> batch, QueueVersion target) {
        String queueName = Stage.PACKAGE.queueName();
        if (routed == null) {
            queue.enqueueBatch(queueName, batch);
            return null;
        }
        if (target != null) {
            try {
                queue.enqueueBatch(target, batch);
                return target;
            } catch (VersionNotAcceptingJobsException e) {
                // drained or rolled back between two batches: the rest follows the routes again
            }
        }
        RoutedClient.Routed result = routed.enqueueBatch(queueName, RequestRoutes.features(request), batch);
        routes.record(request.id(), result.version(), result.rule());
        return result.version();
    }
}
