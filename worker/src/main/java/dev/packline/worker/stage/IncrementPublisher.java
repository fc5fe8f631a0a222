package dev.packline.worker.stage;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.Patcher;
import dev.packline.packaging.increment.BsdiffGzipMaker;
import dev.packline.packaging.increment.ChunkIncrementMaker;
import dev.packline.packaging.offline.OfflinePatchMaker;
import dev.packline.packaging.zipdelta.ZipDeltaMaker;
import dev.packline.pipeline.artifact.Increment;
import dev.packline.pipeline.artifact.IncrementStore;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.StoreException;
import dev.packline.storage.UploadReport;
import dev.packline.worker.metrics.PipelineMetrics;
import dev.packline.worker.mother.Mother;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes one increment of a format between two fetched files with the packaging library's makers
 * (each checks what it made), uploads it, checks what the store holds, and records it by (format,
 * SHA pair) in the {@link IncrementStore}, where every worker and update API instance finds it.
 * A maker's refusal that no retry can fix (not UTF-8 text, not an offline package, over the memory
 * budget) is a {@link RejectJobException}; the work file is always deleted.
 */
public final class IncrementPublisher {
    private final StageContext ctx;
    private final IncrementStore increments;

    public IncrementPublisher(StageContext ctx, IncrementStore increments) {
        this.ctx = ctx;
        this.increments = increments;
    }

    public IncrementStore increments() {
        return increments;
    }

    public Increment publish(PatchFormat format, Mother from, Mother to, ObjectStore store, String objectKey) throws Exception {
        Path dir = Files.createDirectories(ctx.workDir().resolve("increments"));
        Path file = dir.resolve(format.wireName() + "-" + from.sha256() + "-" + to.sha256() + format.extension());
        try {
            ctx.diskSlots().acquire();
            try {
                make(format, from.file(), to.file(), file);
            } finally {
                ctx.diskSlots().release();
            }
            FileDigests digests = FileDigests.of(file);
            UploadReport report;
            ctx.networkSlots().acquire();
            try {
                report = store.upload(objectKey, file);
            } catch (StoreException e) {
                throw StoreFailures.classify(ctx, e, "upload of the " + format.wireName() + " increment " + from.sha256() + " to " + to.sha256()
                        + " to store " + store.name());
            } finally {
                ctx.networkSlots().release();
            }
            if (!report.stored().sha256().equals(digests.sha256())) {
                throw new IllegalStateException("store " + store.name() + " holds a different " + format.wireName() + " increment than was uploaded");
            }
            PipelineMetrics.bytesUploaded(ctx.metrics(), store.name()).increment(report.stored().size());
            Increment increment = new Increment(format, from.sha256(), to.sha256(), store.name(), report.stored().key(),
                    store.url(report.stored().key()), report.stored().size(), digests.sha256(), digests.md5(), from.size(), to.size());
            increments.record(increment);
            return increment;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void make(PatchFormat format, Path from, Path to, Path out) throws RejectJobException, IOException {
        try {
            switch (format) {
                case BSDIFF -> Patcher.withDefaultBudget().make(from, to, out);
                case ZIP_AWARE -> new ZipDeltaMaker().make(from, to, out);
                case CHUNK -> new ChunkIncrementMaker(ChunkIncrementMaker.DEFAULT_CHUNK_SIZE).make(from, to, out);
                case BSDIFF_GZ -> new BsdiffGzipMaker().make(from, to, out);
                case OFFLINE_PATCH -> new OfflinePatchMaker().make(from, to, out);
            }
        } catch (PackagingException e) {
            throw PackagingTools.translate(e);
        }
    }
}
