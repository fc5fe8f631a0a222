package dev.packline.worker.stage;

import dev.packline.pipeline.job.JobFormatException;
import dev.packline.pipeline.job.StageJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.Job;
import dev.packline.queue.worker.RejectJobException;

/**
 * Reads a stage job's typed payload. A malformed one (not JSON, a required field missing) is bad
 * input, dead-lettered at once; one in a newer payload format than this worker reads fails as a
 * retry, so a newer worker can run it.
 */
final class Payload {
    private Payload() {
    }

    static <T extends StageJob> T read(Job job, Class<T> kind) throws RejectJobException {
        try {
            return StageJobs.read(job.payload(), kind);
        } catch (JobFormatException e) {
            String problem = "payload of " + job.queue().name() + " job " + job.id() + " " + e.getMessage();
            if (e.problem() == JobFormatException.Problem.NEWER_FORMAT) {
                throw new IllegalStateException(problem, e);
            }
            throw new RejectJobException(problem, e);
        }
    }
}
