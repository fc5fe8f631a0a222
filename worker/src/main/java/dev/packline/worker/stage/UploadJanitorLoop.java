package dev.packline.worker.stage;

import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.PeriodicTask;
import dev.packline.storage.UploadJanitor;

import java.time.Duration;

/**
 * Runs the storage library's {@link UploadJanitor} every interval: multipart uploads whose journal
 * entry has not moved for {@code upload.janitor.maxIdle} are aborted at their store. Every worker
 * runs it; an abort is idempotent, so two workers sweeping the same entry do no harm.
 */
public final class UploadJanitorLoop extends PeriodicTask {
    private final UploadJanitor janitor;

    public UploadJanitorLoop(UploadJanitor janitor, Duration interval, WorkerEvents events) {
        super("upload-janitor", interval, events);
        this.janitor = janitor;
    }

    @Override
    protected void runOnce() {
        int aborted = janitor.sweep();
        if (aborted > 0) {
            log.info("upload janitor aborted {} abandoned multipart uploads", aborted);
        }
    }
}
