package dev.packline.worker.stage;

import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.NewJob;

/**
 * Enqueues a request's one notify job when a progress call finished the request, and again (the
 * id makes it a no-op) when a redelivered job finds the request finished: if the first enqueue
 * failed after the progress was recorded, the redelivery still gets the notification out.
 */
final class Notify {
    private Notify() {
    }

    static void ifFinished(StageContext ctx, String requestId, RequestStore.Progress progress) {
        if (progress.finishedNow() || (!progress.recorded() && progress.total() > 0 && progress.ended() == progress.total())) {
            ctx.queues().enqueue(Stage.NOTIFY.queueName(), NewJob.of("{\"requestId\":\"" + requestId + "\"}")
                    .withId(Stage.notifyJobId(requestId)).withMaxAttempts(ctx.maxAttempts()));
        }
    }
}
