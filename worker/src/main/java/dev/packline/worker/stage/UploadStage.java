package dev.packline.worker.stage;

import dev.packline.pipeline.RequestStore.Outcome;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.job.UploadJob;
import dev.packline.worker.metrics.PipelineMetrics;
import dev.packline.queue.Job;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.upgrade.ShadowRuns;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.ProgressReporter;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.PrefixSource;
import dev.packline.storage.StagedObjects;
import dev.packline.storage.StoreException;
import dev.packline.storage.StoredObject;
import dev.packline.storage.UploadMode;
import dev.packline.storage.UploadReport;
import dev.packline.worker.mother.Mother;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The upload stage, one job per channel. With zero-copy on (the default) the channel APK is never
 * written here: the mother is uploaded once per store under a staging key ({@link #STAGING} + its
 * SHA-256), and each channel object is a multipart upload whose leading parts are server-side
 * copies of the mother's prefix and whose last part is the channel's tail (a few KB). The store
 * checks that prefix plus tail hash to the SHA-256 the package stage recorded, and the object's
 * size and checksum after completion. Where the store or the sizes do not allow part copy (a
 * mother under 5 MiB, a v1-only mother, zero-copy off), the channel APK is rebuilt from the cached
 * mother and uploaded whole. The bytes that went over the network are recorded per channel. The
 * upload of a request's last channel enqueues its notification. It reports its steps and, while it
 * stages a mother or uploads a channel whole, the bytes sent so far as progress ({@link ChannelProgress}
 * shows them in the request's status).
 */
public final class UploadStage implements JobHandler.Reporting {
    /** Where mothers are staged in each store; a bucket lifecycle rule may expire them (docs/storage.md). */
    public static final String STAGING = "_packline/staging/";
    private static final long MIN_COPY_PREFIX = 5L * 1024 * 1024;

    private final StageContext ctx;
    private final StagedObjects stagedUse;
    private final ShadowRuns shadows;
    private final Set<String> staged = ConcurrentHashMap.newKeySet();
    private final Map<String, ReentrantLock> stagingLocks = new ConcurrentHashMap<>();

    /**
     * @param stagedUse where the use of each staged mother is recorded, so idle ones can be expired
     * @param shadows   where the stored object's facts go when a shadow run copied this job ({@link UploadShadow} uploads the copy's elsewhere)
     */
    public UploadStage(StageContext ctx, StagedObjects stagedUse, ShadowRuns shadows) {
        this.ctx = ctx;
        this.stagedUse = stagedUse;
        this.shadows = shadows;
    }

    @Override
    public void handle(Job job, ProgressReporter progress) throws Exception {
        if (ShadowRun.isShadowJob(job.id())) {
            // a wiring mistake, never a shadow: running it here would write over the real object
            throw new RejectJobException("shadow job " + job.id() + " reached the real upload stage; only a ShadowTap may run it");
        }
        UploadJob p = Payload.read(job, UploadJob.class);
        String requestId = p.requestId();
        int index = p.index();
        String expectedSha = p.packaged().sha256();
        ObjectStore store = ctx.store(p.packageJob().outputStore());
        Mother mother = ctx.mother(p.packageJob().mother());
        if (!mother.sha256().equals(p.packaged().motherSha256())) {
            throw new RejectJobException("the mother at " + p.packageJob().mother() + " changed since it was packaged (SHA-256 "
                    + mother.sha256() + ", packaged from " + p.packaged().motherSha256() + "); submit a new request");
        }
        UploadReport report;
        try {
            Optional<UploadReport> zeroCopy = ctx.zeroCopy() ? zeroCopy(store, mother, p, expectedSha, progress) : Optional.empty();
            report = zeroCopy.isPresent() ? zeroCopy.get() : rebuildAndUpload(store, mother, p, expectedSha, progress);
        } catch (StoreException e) {
            throw StoreFailures.classify(ctx, e, "upload of channel " + index + " of request " + requestId + " to store " + store.name());
        }
        StoredObject stored = report.stored();
        if (stored.size() <= 0 || !stored.sha256().equals(expectedSha)) {
            throw new IllegalStateException("store " + store.name() + " holds " + stored.size() + " bytes with SHA-256 " + stored.sha256()
                    + " under " + stored.key() + ", expected SHA-256 " + expectedSha);
        }
        PipelineMetrics.bytesUploaded(ctx.metrics(), store.name()).increment(stored.size());
        shadows.recordReal(job, UploadShadow.facts(stored));
        Notify.ifFinished(ctx, requestId, ctx.progress(requestId, index, Stage.UPLOAD, Outcome.DONE,
                Map.of("objectKey", stored.key(), "url", store.url(stored.key()), "bytes", stored.size(), "sha256", stored.sha256(),
                        "store", store.name(), "bytesSent", report.bytesSent(), "uploadMode", report.mode().label()), true));
    }

    /** Prefix copied from the staged mother, tail sent; empty when the mother's format has no tail. */
    private Optional<UploadReport> zeroCopy(ObjectStore store, Mother mother, UploadJob p, String expectedSha, ProgressReporter progress)
            throws RejectJobException, IOException, InterruptedException {
        Optional<ChannelBuilder.Tail> tail;
        ctx.diskSlots().acquire(); // the first tail of a mother writes and verifies one whole channel APK
        try {
            tail = ctx.channels().tail(mother, p.packageJob().channel(), p.packageJob().format());
        } finally {
            ctx.diskSlots().release();
        }
        if (tail.isEmpty()) {
            return Optional.empty();
        }
        String stagingKey = stagingKey(mother);
        ctx.networkSlots().acquire();
        try {
            stageFor(store, mother, tail.get(), progress);
            progress.report(0.5, "uploading " + p.packaged().bytes() + " bytes to " + store.name() + ": " + tail.get().prefixLength()
                    + " copied from the staged mother, " + tail.get().bytes().length + " sent");
            // below the minimum part size the store uploads prefix plus tail whole, from the cached mother
            UploadReport report = store.uploadWithPrefix(p.packaged().objectKey(), new PrefixSource(stagingKey, mother.file(), tail.get().prefixLength()),
                    tail.get().bytes(), expectedSha);
            if (report.mode() != UploadMode.PART_COPY) {
                staged.remove(store.name() + "/" + stagingKey); // expired by a lifecycle rule, or never staged: look again next time
            }
            return Optional.of(report);
        } finally {
            ctx.networkSlots().release();
        }
    }

    /** Where a mother is staged in each store. */
    static String stagingKey(Mother mother) {
        return STAGING + mother.sha256() + ".mother";
    }

    /**
     * Stages the mother when this tail's prefix is long enough for part copies, and records the use.
     * The shadow side of this stage ({@link UploadShadow}) calls it too, so a shadow upload copies
     * from the staged mother like the real one instead of sending the whole APK, and a worker
     * running both stages the mother once.
     */
    void stageFor(ObjectStore store, Mother mother, ChannelBuilder.Tail tail, ProgressReporter progress) throws IOException {
        if (tail.prefixLength() >= MIN_COPY_PREFIX) {
            String stagingKey = stagingKey(mother);
            stage(store, mother, stagingKey, progress);
            stagedUse.used(store.name(), stagingKey); // every use: the expire-staged task deletes only idle ones
        }
    }

    /** Uploads the mother under its staging key unless this worker already did or the store holds it; once per store and mother. */
    private void stage(ObjectStore store, Mother mother, String stagingKey, ProgressReporter progress) throws IOException {
        String id = store.name() + "/" + stagingKey;
        if (staged.contains(id)) {
            return;
        }
        ReentrantLock lock = stagingLocks.computeIfAbsent(id, k -> new ReentrantLock()); // not synchronized: the holder does network I/O
        lock.lock();
        try {
            if (staged.contains(id)) {
                return;
            }
            Optional<StoredObject> held = store.stat(stagingKey);
            if (held.isEmpty() || held.get().size() != mother.size() || !held.get().sha256().equals(mother.sha256())) {
                store.upload(stagingKey, mother.file(), sent -> progress.report(0.05 + 0.4 * Math.min(1.0, (double) sent / mother.size()),
                        "staging the mother in store " + store.name() + ": " + sent + " of " + mother.size() + " bytes sent (once per mother)"));
            }
            staged.add(id);
        } finally {
            lock.unlock();
        }
    }

    /** The channel APK rebuilt from the cached mother (the same bytes the package stage verified) and uploaded whole. */
    private UploadReport rebuildAndUpload(ObjectStore store, Mother mother, UploadJob p, String expectedSha, ProgressReporter progress)
            throws RejectJobException, IOException, InterruptedException {
        Path dir = Files.createDirectories(ctx.workDir().resolve("upload"));
        ChannelBuilder.Built built;
        ctx.diskSlots().acquire();
        try {
            built = ctx.channels().build(mother, p.packageJob().channel(), p.packageJob().format(), p.packageJob().nameTemplate(), dir);
        } finally {
            ctx.diskSlots().release();
        }
        try {
            if (!built.sha256().equals(expectedSha)) {
                throw new IllegalStateException("rebuilt channel APK differs from the packaged one (" + built.sha256() + " vs " + expectedSha + ")");
            }
            ctx.networkSlots().acquire();
            try {
                return store.upload(p.packaged().objectKey(), built.file(), sent -> progress.report(0.5 + 0.45 * Math.min(1.0, (double) sent / built.bytes()),
                        "uploading to " + store.name() + ": " + sent + " of " + built.bytes() + " bytes sent"));
            } finally {
                ctx.networkSlots().release();
            }
        } finally {
            Files.deleteIfExists(built.file());
        }
    }
}
