package dev.packline.worker.stage;

import dev.packline.queue.Job;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.StoredObject;
import dev.packline.worker.mother.Mother;

import java.nio.file.Files;
import java.util.Map;

/**
 * The diff stage, one job per (old mother, new mother) pair whatever the number of channels or
 * requests: make the bsdiff patch mother to mother, store it, and record it where every request
 * with that pair finds it ({@code pl:diff:OLD:NEW}). Clients strip their channel, patch, and put
 * the channel back (docs/packaging.md).
 */
public final class DiffStage implements JobHandler {
    private final StageContext ctx;

    public DiffStage(StageContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handle(Job job) throws Exception {
        Payload p = Payload.of(job);
        ObjectStore store = ctx.store(p.text("outputStore"));
        Mother oldMother = ctx.mother(p.text("old"));
        Mother newMother = ctx.mother(p.text("new"));
        if (!oldMother.sha256().equals(p.text("oldSha256")) || !newMother.sha256().equals(p.text("newSha256"))) {
            throw new RejectJobException("a mother changed since the diff was planned; submit a new request");
        }
        PatchMaker.Patch patch;
        ctx.diskSlots().acquire();
        try {
            patch = ctx.patches().make(oldMother, newMother, Files.createDirectories(ctx.workDir().resolve("diff")));
        } finally {
            ctx.diskSlots().release();
        }
        try {
            StoredObject stored;
            ctx.networkSlots().acquire();
            try {
                stored = store.put(p.text("objectKey"), patch.file());
            } finally {
                ctx.networkSlots().release();
            }
            if (!stored.sha256().equals(patch.sha256())) {
                throw new IllegalStateException("store " + store.name() + " holds a different patch than was uploaded");
            }
            ctx.requests().recordDiff(oldMother.sha256(), newMother.sha256(), Map.of("objectKey", stored.key(), "url", store.url(stored.key()),
                    "bytes", stored.size(), "sha256", stored.sha256(), "oldSha256", oldMother.sha256(), "oldBytes", oldMother.size(),
                    "newSha256", newMother.sha256(), "newBytes", newMother.size()));
        } finally {
            Files.deleteIfExists(patch.file());
        }
    }
}
