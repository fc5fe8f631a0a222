package dev.packline.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Aborts multipart uploads nobody finished: journal entries idle longer than {@code maxIdle} (their
 * worker died and the job was dead-lettered or resubmitted elsewhere) have their upload aborted at
 * the store, so the parts stop costing storage, and are forgotten. An entry of a store this worker
 * does not configure is left to a worker that does. Idle means no part finished for that long, so
 * a slow upload that still makes progress is never aborted.
 */
public final class UploadJanitor {
    private static final Logger log = LoggerFactory.getLogger(UploadJanitor.class);
    private static final int BATCH = 100;

    private final UploadJournal journal;
    private final Map<String, ? extends ObjectStore> stores;
    private final Duration maxIdle;
    private final Clock clock;

    public UploadJanitor(UploadJournal journal, Map<String, ? extends ObjectStore> stores, Duration maxIdle, Clock clock) {
        if (maxIdle.isNegative() || maxIdle.isZero()) {
            throw new IllegalArgumentException("the janitor's maxIdle must be positive, got " + maxIdle);
        }
        this.journal = journal;
        this.stores = stores;
        this.maxIdle = maxIdle;
        this.clock = clock;
    }

    /**
     * One pass; returns how many abandoned uploads are gone from their store (aborted now, or
     * already unknown to it). A failed abort is logged and tried again next pass.
     */
    public int sweep() {
        int aborted = 0;
        for (UploadJournal.Entry entry : journal.idleSince(clock.instant().minus(maxIdle), BATCH)) {
            ObjectStore store = stores.get(entry.store());
            if (store == null) {
                continue;
            }
            try {
                store.abortUpload(entry.key(), entry.uploadId());
                journal.forget(entry.store(), entry.key(), entry.uploadId());
                aborted++;
                log.info("aborted abandoned multipart upload of {} in store {} ({} parts done, idle since {})",
                        entry.key(), entry.store(), entry.parts().size(), entry.updatedAt());
            } catch (StoreException e) {
                if (e.kind() == StoreErrorKind.NOT_FOUND) {
                    journal.forget(entry.store(), entry.key(), entry.uploadId()); // completed or aborted elsewhere: nothing left to clean
                    aborted++;
                } else {
                    log.warn("could not abort the abandoned upload of {} in store {}: {}", entry.key(), entry.store(), e.getMessage());
                }
            } catch (Exception e) {
                log.warn("could not abort the abandoned upload of {} in store {}: {}", entry.key(), entry.store(), e.toString());
            }
        }
        return aborted;
    }
}
