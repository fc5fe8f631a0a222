package dev.packline.worker.stage;

import dev.packline.pipeline.artifact.ArtifactStore;
import dev.packline.pipeline.artifact.IncrementStore;
import dev.packline.pipeline.job.ArtifactJob;
import dev.packline.pipeline.job.IncrementJob;
import dev.packline.pipeline.job.JobFormatException;
import dev.packline.pipeline.job.StageJobs;

/**
 * The dead letters of artifact and increment jobs, for {@link StageDeadLetters}: a dead artifact
 * job marks its submission failed; a dead increment job records its pair's failure, so the update
 * API stops asking for it (until the failure lapses) and answers the full file. A payload too
 * malformed to name its submission or pair has nothing to end.
 */
public final class ArtifactDeadLetters {
    private final ArtifactStore artifacts;
    private final IncrementStore increments;

    public ArtifactDeadLetters(ArtifactStore artifacts, IncrementStore increments) {
        this.artifacts = artifacts;
        this.increments = increments;
    }

    /** Records the dead letter if the payload is an artifact or increment job; false for the other kinds, which the caller handles. */
    public boolean record(String payload, String error) {
        String kind = StageJobs.jobField(payload);
        try {
            if (ArtifactJob.JOB.equals(kind)) {
                artifacts.failed(StageJobs.read(payload, ArtifactJob.class).requestId(), error);
                return true;
            }
            if (IncrementJob.JOB.equals(kind)) {
                IncrementJob job = StageJobs.read(payload, IncrementJob.class);
                increments.recordFailure(job.format(), job.fromSha256(), job.toSha256(), error);
                return true;
            }
        } catch (JobFormatException e) {
            return true; // rejected for its payload: it names nothing that could be ended
        }
        return false;
    }
}
