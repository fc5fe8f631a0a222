package dev.packline.worker.stage;

import dev.packline.pipeline.RunningChannels;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.queue.upgrade.ShadowRuns;
import dev.packline.queue.upgrade.ShadowTap;
import dev.packline.queue.worker.JobHandler;
import dev.packline.storage.StagedObjects;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The handlers of the stages a shadow run compares (package, upload, diff), one per handler
 * version, each with shadow runs around it ({@link ShadowTap}): a real job runs the real stage on
 * that version's tools, a shadow copy runs the stage's shadow side ({@link PackageShadow},
 * {@link UploadShadow}, {@link DiffShadow}) on the same tools. So the queue version a worker serves
 * with handler 2 runs handler 2 for its own jobs and for the copies it gets from an older version.
 * Jobs of other kinds sharing the upload and diff queues (artifacts, increments) go to their own
 * handler, outside the tap: a shadow run never copies them.
 */
public final class StageHandlers {
    /** What every handler version shares: the shadow runs, the running channels, the kinds beside the channels. */
    public record Shared(RunningChannels running, ShadowRuns shadows, StagedObjects staged, IncrementPublisher increments,
                         Set<PatchFormat> patchFormats, Map<String, JobHandler> otherUploads, Map<String, JobHandler> otherDiffs, Clock clock) {
    }

    private StageHandlers() {
    }

    /**
     * @param tools the stages' tools by handler version, in order
     * @return by stage queue name, the handlers by handler version
     */
    public static Map<String, Map<String, JobHandler>> byVersion(StageContext ctx, Map<String, HandlerTools> tools, Shared shared) {
        Map<String, JobHandler> packages = new LinkedHashMap<>();
        Map<String, JobHandler> uploads = new LinkedHashMap<>();
        Map<String, JobHandler> diffs = new LinkedHashMap<>();
        tools.forEach((version, t) -> {
            StageContext own = ctx.withTools(t.channels(), t.patches());
            JobHandler realPackage = new ChannelProgress(Stage.PACKAGE, new PackageStage(own, shared.shadows(), version), shared.running(), shared.clock());
            packages.put(version, tapped(realPackage, new PackageShadow(own), shared, own));
            UploadStage uploadStage = new UploadStage(own, shared.staged(), shared.shadows());
            JobHandler realUpload = new ChannelProgress(Stage.UPLOAD, uploadStage, shared.running(), shared.clock());
            uploads.put(version, new ByJobKind(tapped(realUpload, new UploadShadow(own, shared.staged(), uploadStage), shared, own), shared.otherUploads()));
            JobHandler realDiff = new DiffStage(own, shared.increments(), shared.patchFormats(), shared.shadows());
            diffs.put(version, new ByJobKind(tapped(realDiff, new DiffShadow(own), shared, own), shared.otherDiffs()));
        });
        return Map.of(Stage.PACKAGE.queueName(), packages, Stage.UPLOAD.queueName(), uploads, Stage.DIFF.queueName(), diffs);
    }

    private static JobHandler tapped(JobHandler real, dev.packline.queue.upgrade.ShadowHandler shadow, Shared shared, StageContext own) {
        return JobHandler.reporting(new ShadowTap(real, shadow, shared.shadows(), own.queues()));
    }
}
