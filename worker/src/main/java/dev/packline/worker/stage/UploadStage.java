package dev.packline.worker.stage;

import dev.packline.pipeline.RequestStore.Outcome;
import dev.packline.pipeline.Stage;
import dev.packline.worker.metrics.PipelineMetrics;
import dev.packline.queue.Job;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.StoredObject;
import dev.packline.worker.mother.Mother;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The upload stage, one job per channel: rebuild the channel APK from the cached mother (the same
 * bytes the package stage verified: the SHA-256 must match), store it under its object key, check
 * what the store says it holds, and record the result. The upload of a request's last channel
 * enqueues its notification.
 */
public final class UploadStage implements JobHandler {
    private final StageContext ctx;

    public UploadStage(StageContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handle(Job job) throws Exception {
        Payload p = Payload.of(job);
        String requestId = p.text("requestId");
        int index = p.integer("index");
        String expectedSha = p.text("sha256");
        ObjectStore store = ctx.store(p.text("outputStore"));
        Mother mother = ctx.mother(p.text("mother"));
        if (!mother.sha256().equals(p.text("motherSha256"))) {
            throw new RejectJobException("the mother at " + p.text("mother") + " changed since it was packaged (SHA-256 "
                    + mother.sha256() + ", packaged from " + p.text("motherSha256") + "); submit a new request");
        }
        Path dir = Files.createDirectories(ctx.workDir().resolve("upload"));
        ChannelBuilder.Built built;
        ctx.diskSlots().acquire();
        try {
            built = ctx.channels().build(mother, p.channel(), p.text("format"), p.text("nameTemplate"), dir);
        } finally {
            ctx.diskSlots().release();
        }
        try {
            if (!built.sha256().equals(expectedSha)) {
                throw new IllegalStateException("rebuilt channel APK differs from the packaged one (" + built.sha256() + " vs " + expectedSha + ")");
            }
            StoredObject stored;
            ctx.networkSlots().acquire();
            try {
                stored = store.put(p.text("objectKey"), built.file());
            } finally {
                ctx.networkSlots().release();
            }
            if (stored.size() != built.bytes() || !stored.sha256().equals(built.sha256())) {
                throw new IllegalStateException("store " + store.name() + " holds " + stored.size() + " bytes with SHA-256 " + stored.sha256()
                        + " under " + stored.key() + ", expected " + built.bytes() + " bytes with " + built.sha256());
            }
            PipelineMetrics.bytesUploaded(ctx.metrics(), store.name()).increment(stored.size());
            Notify.ifFinished(ctx, requestId, ctx.progress(requestId, index, Stage.UPLOAD, Outcome.DONE,
                    Map.of("objectKey", stored.key(), "url", store.url(stored.key()), "bytes", stored.size(), "sha256", stored.sha256(),
                            "store", store.name()), true));
        } finally {
            Files.deleteIfExists(built.file());
        }
    }
}
