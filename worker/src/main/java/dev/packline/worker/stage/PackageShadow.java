package dev.packline.worker.stage;

import dev.packline.pipeline.job.PackageJob;
import dev.packline.queue.Job;
import dev.packline.queue.upgrade.ShadowHandler;
import dev.packline.queue.upgrade.ShadowResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The package stage as a shadow: writes the channel APK of a shadow job with this handler
 * version's channel writer, measures it (SHA-256, size, and that it verified: the writer refuses a
 * channel APK that does not, which makes this side a failure) and deletes it at once. Everything
 * the real stage does beside the file is left out: no request state, no progress in the request,
 * no diff planning, no upload job, no notification; so nothing of a shadow ever reaches a store and
 * nothing of it outlives the comparison (its facts expire with the run's results).
 */
public final class PackageShadow implements ShadowHandler {
    private final StageContext ctx;

    public PackageShadow(StageContext ctx) {
        this.ctx = ctx;
    }

    /** What a shadow run compares of a written channel APK. */
    static ShadowResult facts(ChannelBuilder.Built built) {
        return ShadowResult.produced(Map.of("sha256", built.sha256(), "size", Long.toString(built.bytes()), "verified", "true"));
    }

    @Override
    public ShadowResult run(Job shadowJob) throws Exception {
        PackageJob p = Payload.read(shadowJob, PackageJob.class);
        var mother = ctx.mother(p.mother());
        ctx.diskSlots().acquire();
        try {
            // a directory of its own: a shadow's file never shares a name with a real job's file being written
            Path dir = Files.createDirectories(ctx.workDir().resolve("shadow"));
            ChannelBuilder.Built built = ctx.channels().build(mother, p.channel(), p.format(), p.nameTemplate(), dir);
            Files.deleteIfExists(built.file());
            return facts(built);
        } finally {
            ctx.diskSlots().release();
        }
    }
}
