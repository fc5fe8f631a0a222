package dev.packline.worker.stage;

import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.RequestLiveness;
import dev.packline.pipeline.RequestNotFoundException;
import dev.packline.pipeline.RequestStore.Outcome;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.job.DiffJob;
import dev.packline.pipeline.job.PackageJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.worker.metrics.PipelineMetrics;
import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.ProgressReporter;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.upgrade.ShadowRuns;
import dev.packline.worker.mother.Mother;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The package stage, one job per channel: fetch the mother into the cache, write and verify the
 * channel APK, record its size and SHA-256, then enqueue its upload. The file itself is not kept:
 * the upload stage rebuilds the same bytes from the mother on whichever worker runs it. The first
 * package job of a request to get this far also enqueues the diffs against earlier mothers, once
 * per (old, new) pair, and links them to the request, which then finishes only when they have
 * ended too. It reports its steps as progress ({@link ChannelProgress} shows them in the request's status).
 */
public final class PackageStage implements JobHandler.Reporting {
    private final StageContext ctx;
    private final ShadowRuns shadows;
    private final String handlerVersion;

    /**
     * @param shadows        where the channel's facts go when a shadow run copied this job ({@link PackageShadow} builds the copy)
     * @param handlerVersion the handler version this is (mixed mode), recorded with each channel as {@code handler}
     */
    public PackageStage(StageContext ctx, ShadowRuns shadows, String handlerVersion) {
        this.ctx = ctx;
        this.shadows = shadows;
        this.handlerVersion = handlerVersion;
    }

    @Override
    public void handle(Job job, ProgressReporter progress) throws Exception {
        if (ShadowRun.isShadowJob(job.id())) {
            // a wiring mistake, never a shadow: running it here would record and upload a real channel twice
            throw new RejectJobException("shadow job " + job.id() + " reached the real package stage; only a ShadowTap may run it");
        }
        PackageJob p = Payload.read(job, PackageJob.class);
        String requestId = p.requestId();
        int index = p.index();
        RequestLiveness liveness = ctx.requests().liveness(requestId);
        if (liveness == RequestLiveness.GONE) {
            // before building: nothing could record the channel, and the request will not come back
            RequestNotFoundException gone = new RequestNotFoundException(requestId);
            throw new RejectJobException(gone.getMessage() + "; its channel is not packaged", gone);
        }
        if (liveness == RequestLiveness.CANCEL_REQUESTED) {
            Notify.ifFinished(ctx, requestId, ctx.progress(requestId, index, Stage.PACKAGE, Outcome.CANCELLED,
                    Map.of("channel", p.channelName()), true));
            return;
        }
        ChannelSpec channel = p.channel();
        progress.report(0.1, "fetching the mother");
        Mother mother = ctx.mother(p.mother());
        progress.report(0.3, "writing channel " + channel.name() + " (mother " + mother.size() + " bytes)");
        ChannelBuilder.Built built;
        ctx.diskSlots().acquire();
        try {
            Path dir = Files.createDirectories(ctx.workDir().resolve("package"));
            built = ctx.channels().build(mother, channel, p.format(), p.nameTemplate(), dir);
            Files.deleteIfExists(built.file());
        } finally {
            ctx.diskSlots().release();
        }
        PipelineMetrics.bytesPackaged(ctx.metrics()).increment(built.bytes());
        shadows.recordReal(job, PackageShadow.facts(built));
        progress.report(0.9, "recording " + built.fileName() + " (" + built.bytes() + " bytes) and enqueueing its upload");
        String objectKey = p.outputPrefix() + built.fileName();
        ctx.progress(requestId, index, Stage.PACKAGE, Outcome.DONE, Map.of("channel", channel.name(), "fileName", built.fileName(),
                "bytes", built.bytes(), "sha256", built.sha256(), "motherSha256", mother.sha256(), "handler", handlerVersion), false);

        if (!ctx.requests().diffsPlanned(requestId)) {
            // before this channel's upload is enqueued: the request must know the patches it waits for
            // before its last channel can end, or it would finish (and notify) without them. Any
            // package job may be the first to get here (channel 0's may have failed); planning twice
            // is harmless, as links and job ids are idempotent.
            enqueueDiffs(requestId, p, mother);
            ctx.requests().markDiffsPlanned(requestId);
        }
        String upload = StageJobs.write(p.upload(mother.sha256(), objectKey, built.bytes(), built.sha256()));
        ctx.queues().enqueue(Stage.UPLOAD.queueName(), NewJob.of(upload).withId(Stage.uploadJobId(requestId, index))
                .withMaxAttempts(ctx.maxAttempts()).withTimeout(ctx.jobTimeout()).withPriority(p.queuePriority()).withGroup(p.group()));
    }

    private void enqueueDiffs(String requestId, PackageJob p, Mother newMother) throws Exception {
        var request = ctx.requests().request(requestId).orElseThrow(() -> new RejectJobException("request " + requestId + " is gone"));
        for (String old : request.diffAgainst()) {
            Mother oldMother = ctx.mother(old);
            if (p.outputStore() == null) {
                throw new RejectJobException("payload of package job " + Stage.packageJobId(requestId, p.index()) + " lacks 'outputStore'");
            }
            DiffJob diff = DiffJob.of(requestId, old, p.mother(), oldMother.sha256(), newMother.sha256(), p.outputStore(),
                    p.outputPrefix() + "patches/" + oldMother.sha256().substring(0, 12) + "-" + newMother.sha256().substring(0, 12) + ".bsdiff");
            Notify.ifFinished(ctx, requestId, ctx.requests().linkDiff(requestId, oldMother.sha256(), newMother.sha256()));
            ctx.queues().enqueue(Stage.DIFF.queueName(), NewJob.of(StageJobs.write(diff))
                    .withId(Stage.diffJobId(oldMother.sha256(), newMother.sha256())).withMaxAttempts(ctx.maxAttempts()).withTimeout(ctx.jobTimeout()));
        }
    }
}
