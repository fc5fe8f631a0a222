package dev.packline.pipeline.job;

import dev.packline.pipeline.Stage;

/**
 * A job of one pipeline stage, as the submitter and the stages write it and every reader (the stages,
 * dead-letter handling, the alerter, the log context) reads it. The JSON form lives in
 * {@link StageJobs}; each kind carries {@link #payloadVersion()}, the format it was written in.
 */
public sealed interface StageJob permits ChannelJob, DiffJob, NotifyJob, ArtifactJob, IncrementJob {
    /** The request the job works for (for a diff job: the request that planned it; the patch serves every request with its pair). */
    String requestId();

    /** The payload format the job was written in; {@link StageJobs#PAYLOAD_VERSION} for jobs this code writes. */
    int payloadVersion();

    Stage stage();
}
