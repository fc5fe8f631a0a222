package dev.packline.queue.worker;

import dev.packline.queue.Job;

/**
 * Does the work of one job. Returning normally completes the job. Throwing
 * {@link RejectJobException} sends it straight to dead letters (bad input: retrying cannot help);
 * any other exception schedules a retry with backoff until attempts run out. Handlers run on
 * virtual threads, may be interrupted at the job's hard timeout or at shutdown, and must be
 * idempotent: a job is delivered at least once.
 */
@FunctionalInterface
public interface JobHandler {
    void handle(Job job) throws Exception;

    /** What the processor calls; a handler made by {@link #reporting} gets the progress reporter, others ignore it. */
    default void handle(Job job, ProgressReporter progress) throws Exception {
        handle(job);
    }

    /** A handler that reports its progress (see {@link ProgressReporter}). */
    static JobHandler reporting(Reporting handler) {
        return new JobHandler() {
            @Override
            public void handle(Job job) throws Exception {
                handler.handle(job, (fraction, message) -> ProgressReporter.Outcome.SKIPPED);
            }

            @Override
            public void handle(Job job, ProgressReporter progress) throws Exception {
                handler.handle(job, progress);
            }
        };
    }

    @FunctionalInterface
    interface Reporting {
        void handle(Job job, ProgressReporter progress) throws Exception;
    }
}
