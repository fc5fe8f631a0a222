package dev.packline.worker.stage;

import dev.packline.pipeline.job.UploadJob;
import dev.packline.queue.Job;
import dev.packline.queue.upgrade.ShadowHandler;
import dev.packline.queue.upgrade.ShadowResult;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.worker.ProgressReporter;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.PrefixSource;
import dev.packline.storage.StagedObjects;
import dev.packline.storage.StoreException;
import dev.packline.storage.StoredObject;
import dev.packline.worker.mother.Mother;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The upload stage as a shadow: uploads the channel object of a shadow job the way this handler
 * version would (the channel's tail after the staged mother's prefix when zero-copy is on and the
 * mother has a tail, else the whole rebuilt APK), but under {@link #PREFIX} in the same store,
 * never under the real key, measures what the store holds (size and SHA-256) and deletes it. The
 * shadow object is recorded as staged before it is written, so one a crash left behind is deleted
 * by the {@code expire-staged} housekeeping task like an idle staged mother (or by a bucket
 * lifecycle rule on {@code _packline/}). No request state, no notification. The mother is staged
 * for part copies through the real stage (content-addressed, shared with the real uploads).
 */
public final class UploadShadow implements ShadowHandler {
    /** Where shadow uploads go in each store: {@code _packline/shadow/QUEUE/vFROM-vTO/REAL_KEY}. */
    public static final String PREFIX = "_packline/shadow/";
    private static final Logger log = LoggerFactory.getLogger(UploadShadow.class);

    private final StageContext ctx;
    private final StagedObjects staged;
    private final UploadStage real;

    /** @param real the real upload stage of the same handler version: the shadow stages mothers through it */
    public UploadShadow(StageContext ctx, StagedObjects staged, UploadStage real) {
        this.ctx = ctx;
        this.staged = staged;
        this.real = real;
    }

    /** What a shadow run compares of a stored object. */
    static ShadowResult facts(StoredObject stored) {
        return ShadowResult.produced(Map.of("sha256", stored.sha256(), "size", Long.toString(stored.size())));
    }

    /** The shadow key of a real object key: never the real one, and one per run, so two runs never share an object. */
    static String shadowKey(Job shadowJob, String realKey) {
        int from = ShadowRun.copied(shadowJob.id()).orElseThrow().from();
        return PREFIX + shadowJob.queue().name() + "/v" + from + "-v" + shadowJob.queue().version() + "/" + realKey;
    }

    @Override
    public ShadowResult run(Job shadowJob) throws Exception {
        UploadJob p = Payload.read(shadowJob, UploadJob.class);
        ObjectStore store = ctx.store(p.packageJob().outputStore());
        Mother mother = ctx.mother(p.packageJob().mother());
        String key = shadowKey(shadowJob, p.packaged().objectKey());
        staged.used(store.name(), key); // before the write: a crash between the write and the delete leaves an expiring object
        try {
            StoredObject stored = upload(store, mother, p, key);
            return facts(stored);
        } finally {
            try {
                store.delete(key);
                staged.forget(store.name(), key);
            } catch (IOException | RuntimeException e) {
                log.warn("shadow object {} in store {} not deleted (expire-staged deletes it later): {}", key, store.name(), e.toString());
            }
        }
    }

    private StoredObject upload(ObjectStore store, Mother mother, UploadJob p, String key) throws Exception {
        Optional<ChannelBuilder.Tail> tail = Optional.empty();
        if (ctx.zeroCopy()) {
            ctx.diskSlots().acquire();
            try {
                tail = ctx.channels().tail(mother, p.packageJob().channel(), p.packageJob().format());
            } finally {
                ctx.diskSlots().release();
            }
        }
        ctx.networkSlots().acquire();
        try {
            if (tail.isPresent()) {
                // staged as the real stage does (the mother, content-addressed: never a request's object), once per worker and store
                real.stageFor(store, mother, tail.get(), (fraction, message) -> ProgressReporter.Outcome.SKIPPED);
                // the SHA-256 this handler's tail makes after the mother's prefix: the store checks what it holds against it
                String sha256 = sha256(mother.file(), tail.get().prefixLength(), tail.get().bytes());
                PrefixSource prefix = new PrefixSource(UploadStage.stagingKey(mother), mother.file(), tail.get().prefixLength());
                return store.uploadWithPrefix(key, prefix, tail.get().bytes(), sha256).stored();
            }
            Path dir = Files.createDirectories(ctx.workDir().resolve("shadow-upload"));
            ChannelBuilder.Built built = ctx.channels().build(mother, p.packageJob().channel(), p.packageJob().format(), p.packageJob().nameTemplate(), dir);
            try {
                return store.upload(key, built.file()).stored();
            } finally {
                Files.deleteIfExists(built.file());
            }
        } catch (StoreException e) {
            if (e.kind().failFast()) {
                // recorded as the shadow's failure, never alerted: the real upload of the same store alerts on its own
                throw new RejectJobException("shadow upload to " + key + " in store " + store.name() + " refused: " + e.getMessage(), e);
            }
            throw e;
        } finally {
            ctx.networkSlots().release();
        }
    }

    private static String sha256(Path file, long prefixLength, byte[] tail) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        long left = prefixLength;
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException(file + " ended " + left + " bytes before the channel's prefix of " + prefixLength);
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
        digest.update(tail);
        return HexFormat.of().formatHex(digest.digest());
    }
}
