package dev.packline.worker.stage;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.offline.OfflinePackageReader;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.artifact.ArtifactKind;
import dev.packline.pipeline.artifact.ArtifactStore;
import dev.packline.pipeline.artifact.ArtifactSubmission;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.pipeline.artifact.StoredArtifact;
import dev.packline.pipeline.job.ArtifactJob;
import dev.packline.pipeline.job.IncrementJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.StoreException;
import dev.packline.storage.UploadReport;
import dev.packline.worker.metrics.PipelineMetrics;
import dev.packline.worker.mother.Mother;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The upload queue's artifact jobs: store a submitted JS bundle or offline package, step by step.
 * Fetch it (the mother cache's rules: allowed roots, hosts and stores); check it for its kind (a
 * bundle must be UTF-8 text, an offline package must pass {@link OfflinePackageReader}'s checks: a
 * manifest matching its files, no entry escaping the root), refusing it by name otherwise; upload
 * it under a key carrying its version and SHA-256; record it as its name's newest version; then
 * plan one increment job per (earlier version, format of its kind) on the diff queue, ids
 * deterministic so a redelivery plans nothing twice. A refused file marks the submission failed
 * here; any other failure is retried, and its dead letter marks it failed ({@link ArtifactDeadLetters}).
 */
public final class ArtifactStage implements JobHandler {
    private final StageContext ctx;
    private final ArtifactStore artifacts;
    private final Clock clock;

    public ArtifactStage(StageContext ctx, ArtifactStore artifacts, Clock clock) {
        this.ctx = ctx;
        this.artifacts = artifacts;
        this.clock = clock;
    }

    @Override
    public void handle(Job job) throws Exception {
        ArtifactJob p = Payload.read(job, ArtifactJob.class);
        ArtifactSubmission submission = p.submission();
        Mother file = ctx.mother(p.location());
        try {
            check(p.kind(), file);
        } catch (RejectJobException e) {
            artifacts.failed(p.requestId(), e.getMessage());
            throw e;
        }
        ObjectStore store = ctx.store(p.outputStore());
        FileDigests digests = FileDigests.of(file.file());
        if (!digests.sha256().equals(file.sha256())) {
            throw new IOException("the cached copy of " + p.location() + " changed while it was read; retrying");
        }
        UploadReport report;
        ctx.networkSlots().acquire();
        try {
            report = store.upload(submission.objectKey(file.sha256()), file.file());
        } catch (StoreException e) {
            throw StoreFailures.classify(ctx, e, "upload of " + p.kind().wireName() + " " + p.name() + " " + p.version() + " to store " + store.name());
        } finally {
            ctx.networkSlots().release();
        }
        if (!report.stored().sha256().equals(file.sha256())) {
            throw new IllegalStateException("store " + store.name() + " holds different bytes than were uploaded for " + p.name() + " " + p.version());
        }
        PipelineMetrics.bytesUploaded(ctx.metrics(), store.name()).increment(report.stored().size());
        StoredArtifact stored = new StoredArtifact(p.version(), file.sha256(), digests.md5(), file.size(), store.name(), report.stored().key(),
                store.url(report.stored().key()), clock.millis());
        List<StoredArtifact> earlier = artifacts.stored(submission, stored);
        planIncrements(p, stored, earlier);
    }

    private void planIncrements(ArtifactJob p, StoredArtifact stored, List<StoredArtifact> earlier) {
        List<ArtifactStore.PlannedIncrement> planned = new ArrayList<>();
        List<NewJob> jobs = new ArrayList<>();
        for (StoredArtifact from : earlier) {
            for (PatchFormat format : PatchFormat.forKind(p.kind())) {
                IncrementJob increment = IncrementJob.of(p.requestId(), format, from.location(), stored.location(), from.sha256(), stored.sha256(),
                        p.outputStore(), IncrementJob.objectKey(p.outputPrefix(), format, from.sha256(), stored.sha256()));
                jobs.add(NewJob.of(StageJobs.write(increment)).withId(increment.jobId()).withMaxAttempts(ctx.maxAttempts())
                        .withTimeout(ctx.jobTimeout()));
                planned.add(new ArtifactStore.PlannedIncrement(format, from.version(), from.sha256(), stored.sha256()));
            }
        }
        if (!jobs.isEmpty()) {
            ctx.queues().enqueueBatch(Stage.DIFF.queueName(), jobs);
        }
        artifacts.planned(p.requestId(), planned);
    }

    private static void check(ArtifactKind kind, Mother file) throws RejectJobException, IOException {
        switch (kind) {
            case BUNDLE -> requireUtf8(file);
            case OFFLINE -> {
                try {
                    new OfflinePackageReader().read(file.file());
                } catch (PackagingException e) {
                    throw new RejectJobException("the offline package is refused: " + e.getMessage(), e);
                }
            }
            case APK -> throw new RejectJobException("APKs are packaged by packaging requests, not stored as artifacts");
        }
    }

    /** A bundle is UTF-8 text: the chunk increments and their clients work on characters, and a repaired decode would not rebuild the file. */
    private static void requireUtf8(Mother file) throws RejectJobException, IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long offset = 0;
        try (InputStream stream = Files.newInputStream(file.file())) {
            boolean end = false;
            while (!end) {
                int n = stream.read(in.array(), in.position(), in.remaining());
                end = n < 0;
                if (n > 0) {
                    in.position(in.position() + n);
                }
                in.flip();
                CoderResult result = decoder.decode(in, out, end); // out holds as many chars as in holds bytes: never overflows
                if (result.isError()) {
                    throw new RejectJobException("the bundle is not UTF-8 text: malformed bytes at offset " + (offset + in.position()));
                }
                offset += in.position();
                in.compact();
                out.clear();
            }
        }
    }
}
