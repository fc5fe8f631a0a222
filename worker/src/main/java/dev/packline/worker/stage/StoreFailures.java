package dev.packline.worker.stage;

import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.StoreException;
import dev.packline.notify.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;

/**
 * Store failures no retry can fix (bad credentials, access denied, missing bucket): the job goes
 * to dead letters at once with the store's reason, and on-call hears about it, because every
 * other job for that store will fail the same way until someone fixes the configuration. Every
 * other store failure is thrown as is and retried with the queue's backoff.
 */
final class StoreFailures {
    private static final Logger log = LoggerFactory.getLogger(StoreFailures.class);

    private StoreFailures() {
    }

    static Exception classify(StageContext ctx, StoreException e, String what) {
        if (!e.kind().failFast()) {
            return e;
        }
        String reason = what + " failed and will not be retried: " + e.getMessage() + ". Check the store's credentials, bucket and permissions.";
        try {
            ctx.notifications().send(new Alert("store:" + e.store() + ":" + e.kind().label(), Alert.Severity.CRITICAL, Alert.Status.FIRING,
                    "Object store " + e.store() + " refuses uploads (" + e.kind().label() + ")", reason,
                    Map.of("store", e.store(), "kind", e.kind().label()), Instant.now()));
        } catch (Exception alertFailure) {
            log.warn("could not send the alert about store {}: {}", e.store(), alertFailure.toString());
        }
        return new RejectJobException(reason, e);
    }
}
