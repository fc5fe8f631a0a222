package dev.packline.worker.stage;

import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.job.NotifyJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.NewJob;

import java.util.Map;

/**
 * Enqueues a request's one notify job when a progress call finished the request, and again (the
 * id makes it a no-op) when a redelivered job finds the request finished: if the first enqueue
 * failed after the progress was recorded, the redelivery still gets the notification out.
 */
final class Notify {
    private Notify() {
    }

    static void ifFinished(StageContext ctx, String requestId, RequestStore.Progress progress) {
        if (progress.finishedNow() || (!progress.recorded() && progress.finished())) {
            enqueue(ctx, requestId);
        }
    }

    /** For the requests waiting for a patch that just ended: counts and notifies those it finished. */
    static void ifFinished(StageContext ctx, Map<String, RequestStore.Progress> outcomes) {
        outcomes.forEach((requestId, progress) -> {
            if (progress.finishedNow()) {
                ctx.requestFinished(requestId);
            }
            ifFinished(ctx, requestId, progress);
        });
    }

    private static void enqueue(StageContext ctx, String requestId) {
        ctx.queues().enqueue(Stage.NOTIFY.queueName(), NewJob.of(StageJobs.write(NotifyJob.of(requestId)))
                .withId(Stage.notifyJobId(requestId)).withMaxAttempts(ctx.maxAttempts()));
    }
}
