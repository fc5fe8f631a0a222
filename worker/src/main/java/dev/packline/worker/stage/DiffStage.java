package dev.packline.worker.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.artifact.Increment;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.pipeline.job.DiffJob;
import dev.packline.queue.Job;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.upgrade.ShadowRuns;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.StoreException;
import dev.packline.worker.metrics.PipelineMetrics;
import dev.packline.storage.StoredObject;
import dev.packline.storage.UploadReport;
import dev.packline.worker.mother.Mother;

import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The diff stage, one job per (old mother, new mother) pair whatever the number of channels or
 * requests: make the bsdiff patch mother to mother and the zip-aware one beside it, store both,
 * and record them where every request with that pair finds them ({@code pl:diff:OLD:NEW}: the
 * bsdiff patch's fields as before, its MD5, and the zip-aware patch under {@code zipAware}) and
 * where the update API finds them by pair ({@code pl:increment:FORMAT:OLD:NEW}). A pair the
 * zip-aware maker refuses (over its memory budget, say) keeps its bsdiff patch and names why
 * ({@code zipAwareError}). Clients strip their channel, patch, and put
 * the channel back (docs/packaging.md). The patch goes up like any object (multipart and resumable
 * when large), with {@code OBJECTKEY.json} beside it: old and new mother SHA-256 and sizes. The
 * requests waiting for the patch whose channels have all ended finish here and are notified.
 */
public final class DiffStage implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StageContext ctx;
    private final IncrementPublisher increments;
    private final boolean zipAware;
    private final ShadowRuns shadows;

    /**
     * @param formats what to make besides bsdiff (always made): zip-aware when listed ({@code pipeline.apkPatchFormats})
     * @param shadows where the patch's facts go when a shadow run copied this job ({@link DiffShadow} makes the copy's)
     */
    public DiffStage(StageContext ctx, IncrementPublisher increments, Set<PatchFormat> formats, ShadowRuns shadows) {
        this.ctx = ctx;
        this.increments = increments;
        this.zipAware = formats.contains(PatchFormat.ZIP_AWARE);
        this.shadows = shadows;
    }

    @Override
    public void handle(Job job) throws Exception {
        if (ShadowRun.isShadowJob(job.id())) {
            // a wiring mistake, never a shadow: running it here would upload and record a real patch
            throw new RejectJobException("shadow job " + job.id() + " reached the real diff stage; only a ShadowTap may run it");
        }
        DiffJob p = Payload.read(job, DiffJob.class);
        Optional<Map<String, RequestStore.Progress>> recorded = ctx.requests().endRecordedDiff(p.oldSha256(), p.newSha256());
        if (recorded.isPresent()) {
            Notify.ifFinished(ctx, recorded.get()); // made before: its waiters are told, and no bsdiff runs twice
            recordMadeBefore(job, p);
            return;
        }
        ObjectStore store = ctx.store(p.outputStore());
        Mother oldMother = ctx.mother(p.oldMother());
        Mother newMother = ctx.mother(p.newMother());
        if (!oldMother.sha256().equals(p.oldSha256()) || !newMother.sha256().equals(p.newSha256())) {
            throw new RejectJobException("a mother changed since the diff was planned; submit a new request");
        }
        PatchMaker.Patch patch;
        ctx.diskSlots().acquire();
        try {
            patch = ctx.patches().make(oldMother, newMother, Files.createDirectories(ctx.workDir().resolve("diff")));
        } finally {
            ctx.diskSlots().release();
        }
        Path metadata = patch.file().resolveSibling(patch.file().getFileName() + ".json");
        try {
            FileDigests digests = FileDigests.of(patch.file());
            Map<String, Object> zipAware = this.zipAware ? zipAware(oldMother, newMother, store, p.objectKey())
                    : Map.of("error", "not made: pipeline.apkPatchFormats leaves it out");
            UploadReport report;
            UploadReport metadataReport;
            ctx.networkSlots().acquire();
            try {
                report = store.upload(p.objectKey(), patch.file());
                if (!report.stored().sha256().equals(patch.sha256())) {
                    throw new IllegalStateException("store " + store.name() + " holds a different patch than was uploaded");
                }
                // beside the patch, what a client needs to apply it: which mother it turns into which, and the sizes
                Files.writeString(metadata, JSON.writeValueAsString(Map.of("patchSha256", patch.sha256(), "patchBytes", report.stored().size(),
                        "oldSha256", oldMother.sha256(), "oldBytes", oldMother.size(), "newSha256", newMother.sha256(), "newBytes", newMother.size(),
                        "format", "bsdiff")));
                metadataReport = store.upload(p.objectKey() + ".json", metadata);
            } catch (StoreException e) {
                throw StoreFailures.classify(ctx, e, "upload of the patch " + oldMother.sha256() + " to " + newMother.sha256() + " to store " + store.name());
            } finally {
                ctx.networkSlots().release();
            }
            StoredObject stored = report.stored();
            // before the records: a redelivery after them skips everything and would leave the comparison waiting
            shadows.recordReal(job, DiffShadow.facts(patch));
            PipelineMetrics.bytesUploaded(ctx.metrics(), store.name()).increment(stored.size() + metadataReport.stored().size());
            // by pair first: the request record below is what a redelivery checks before skipping everything
            increments.increments().record(new Increment(PatchFormat.BSDIFF, oldMother.sha256(), newMother.sha256(), store.name(), stored.key(),
                    store.url(stored.key()), stored.size(), stored.sha256(), digests.md5(), oldMother.size(), newMother.size()));
            Map<String, RequestStore.Progress> waiting = ctx.requests().recordDiff(oldMother.sha256(), newMother.sha256(), Map.ofEntries(Map.entry("objectKey", stored.key()),
                    Map.entry("url", store.url(stored.key())), Map.entry("bytes", stored.size()), Map.entry("sha256", stored.sha256()),
                    Map.entry("oldSha256", oldMother.sha256()), Map.entry("oldBytes", oldMother.size()), Map.entry("newSha256", newMother.sha256()),
                    Map.entry("newBytes", newMother.size()), Map.entry("metadataKey", metadataReport.stored().key()),
                    Map.entry("bytesSent", report.bytesSent() + metadataReport.bytesSent()), Map.entry("uploadMode", report.mode().label()),
                    Map.entry("md5", digests.md5()), Map.entry(zipAware.containsKey("error") ? "zipAwareError" : "zipAware",
                            zipAware.containsKey("error") ? zipAware.get("error") : zipAware)));
            Notify.ifFinished(ctx, waiting);
        } finally {
            Files.deleteIfExists(patch.file());
            Files.deleteIfExists(metadata);
        }
    }

    /**
     * A job whose patch was made before (a redelivery after the record) still gives a shadow run
     * copying it its real side: the patch as recorded by pair, or the comparison would wait until it
     * expires. Shadow bookkeeping never fails the job.
     */
    private void recordMadeBefore(Job job, DiffJob p) {
        try {
            increments.increments().find(PatchFormat.BSDIFF, p.oldSha256(), p.newSha256()).ifPresent(made ->
                    shadows.recordReal(job, DiffShadow.facts(made.sha256(), made.bytes())));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(DiffStage.class).warn("diff {}: the patch made before could not be read for a shadow comparison: {}",
                    job.id(), e.toString());
        }
    }

    /** The zip-aware patch of the pair (made unless recorded already), as the diff record lists it, or {@code {error}} when it cannot be made. */
    private Map<String, Object> zipAware(Mother oldMother, Mother newMother, ObjectStore store, String bsdiffKey) throws Exception {
        Optional<Increment> made = increments.increments().find(PatchFormat.ZIP_AWARE, oldMother.sha256(), newMother.sha256());
        Increment patch;
        if (made.isPresent()) {
            patch = made.get();
        } else {
            try {
                patch = increments.publish(PatchFormat.ZIP_AWARE, oldMother, newMother, store,
                        bsdiffKey.replaceAll("\\.bsdiff$", "") + PatchFormat.ZIP_AWARE.extension());
            } catch (RejectJobException e) {
                return Map.of("error", e.getMessage());
            }
        }
        return Map.of("objectKey", patch.objectKey(), "url", patch.url(), "bytes", patch.bytes(), "sha256", patch.sha256(), "md5", patch.md5());
    }
}
