package dev.packline.worker.stage;

import dev.packline.pipeline.job.DiffJob;
import dev.packline.queue.Job;
import dev.packline.queue.upgrade.ShadowHandler;
import dev.packline.queue.upgrade.ShadowResult;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.worker.mother.Mother;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The diff stage as a shadow: makes the bsdiff patch of a shadow job's pair with this handler
 * version's patch maker, measures it (SHA-256 and size) and deletes it at once. Nothing else the
 * real stage does happens: no upload, no patch record by pair or by request, no increment, no
 * notification; so nothing of a shadow reaches a store or a client, and nothing outlives the
 * comparison (its facts expire with the run's results).
 */
public final class DiffShadow implements ShadowHandler {
    private final StageContext ctx;

    public DiffShadow(StageContext ctx) {
        this.ctx = ctx;
    }

    /** What a shadow run compares of a patch. */
    static ShadowResult facts(PatchMaker.Patch patch) {
        return facts(patch.sha256(), patch.bytes());
    }

    /** What a shadow run compares of a patch, from its SHA-256 and size (a patch made before, as recorded by pair). */
    static ShadowResult facts(String sha256, long bytes) {
        return ShadowResult.produced(Map.of("sha256", sha256, "size", Long.toString(bytes)));
    }

    @Override
    public ShadowResult run(Job shadowJob) throws Exception {
        DiffJob p = Payload.read(shadowJob, DiffJob.class);
        Mother oldMother = ctx.mother(p.oldMother());
        Mother newMother = ctx.mother(p.newMother());
        if (!oldMother.sha256().equals(p.oldSha256()) || !newMother.sha256().equals(p.newSha256())) {
            throw new RejectJobException("a mother changed since the diff was planned; the shadow has nothing to compare");
        }
        ctx.diskSlots().acquire();
        try {
            // a directory of its own: the real job of the same pair may be writing its patch now
            Path dir = Files.createDirectories(ctx.workDir().resolve("shadow-diff"));
            PatchMaker.Patch patch = ctx.patches().make(oldMother, newMother, dir);
            Files.deleteIfExists(patch.file());
            return facts(patch);
        } finally {
            ctx.diskSlots().release();
        }
    }
}
