package dev.packline.pipeline;

import dev.packline.pipeline.job.PackageJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;

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

    public Submitter(RequestStore store, QueueClient queue, int maxAttempts, Duration timeout) {
        this.store = store;
        this.queue = queue;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
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
        for (int i = 0; i < request.channels().size(); i++) {
            batch.add(NewJob.of(StageJobs.write(PackageJob.of(request, i))).withId(Stage.packageJobId(request.id(), i))
                    .withMaxAttempts(maxAttempts).withTimeout(timeout).withGroup(request.publisher())
                    .withPriority(request.queuePriority()));
            if (batch.size() == BATCH || i == request.channels().size() - 1) {
                queue.enqueueBatch(Stage.PACKAGE.queueName(), batch);
                batch.clear();
            }
        }
        return created;
    }
}
