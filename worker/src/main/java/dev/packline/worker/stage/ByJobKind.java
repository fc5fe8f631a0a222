package dev.packline.worker.stage;

import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.Job;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.ProgressReporter;
import dev.packline.queue.worker.RejectJobException;

import java.util.Map;

/**
 * One queue's handler when several job kinds share the queue: routes each job by its payload's
 * {@code job} field ({@link StageJobs#jobField}) to that kind's handler, and a payload without one
 * to the queue's original handler (the kind every job had before the field existed). An unknown
 * kind is bad input: no retry will teach this worker it.
 */
public final class ByJobKind implements JobHandler {
    private final JobHandler original;
    private final Map<String, JobHandler> byKind;

    public ByJobKind(JobHandler original, Map<String, JobHandler> byKind) {
        this.original = original;
        this.byKind = Map.copyOf(byKind);
    }

    @Override
    public void handle(Job job) throws Exception {
        route(job).handle(job);
    }

    @Override
    public void handle(Job job, ProgressReporter progress) throws Exception {
        route(job).handle(job, progress);
    }

    private JobHandler route(Job job) throws RejectJobException {
        String kind = StageJobs.jobField(job.payload());
        if (kind == null) {
            return original;
        }
        JobHandler handler = byKind.get(kind);
        if (handler == null) {
            throw new RejectJobException(job.queue().name() + " job " + job.id() + " is of kind '" + kind + "', which this worker does not know; "
                    + "known: " + byKind.keySet());
        }
        return handler;
    }
}
