package dev.packline.worker.stage;

import dev.packline.pipeline.RunningChannels;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.job.JobIdentity;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.Job;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.ProgressReporter;
import dev.packline.redis.RedisErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * Carries a channel stage's progress reports to the publisher: each report the queue records with
 * the running delivery (for {@code admin job}; the queue rate-limits them) is also written to the
 * request's running hash ({@link RunningChannels}), which the status and the event streams read;
 * when the delivery ends, however it ends, the request's copy is cleared. Progress is information,
 * not state: a Redis failure here is logged and the job goes on.
 */
public final class ChannelProgress implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(ChannelProgress.class);

    private final Stage stage;
    private final Reporting handler;
    private final RunningChannels running;
    private final Clock clock;

    public ChannelProgress(Stage stage, Reporting handler, RunningChannels running, Clock clock) {
        this.stage = stage;
        this.handler = handler;
        this.running = running;
        this.clock = clock;
    }

    @Override
    public void handle(Job job) throws Exception {
        handle(job, (fraction, message) -> ProgressReporter.Outcome.SKIPPED);
    }

    @Override
    public void handle(Job job, ProgressReporter queue) throws Exception {
        Optional<JobIdentity> identity = StageJobs.identify(job.payload());
        if (identity.isEmpty() || identity.get().requestId().isEmpty() || identity.get().index().isEmpty()) {
            handler.handle(job, queue); // a malformed payload: the stage rejects it, nobody watches its progress
            return;
        }
        String requestId = identity.get().requestId().get();
        int index = identity.get().index().get();
        try {
            handler.handle(job, (fraction, message) -> {
                ProgressReporter.Outcome outcome = queue.report(fraction, message);
                if (outcome == ProgressReporter.Outcome.RECORDED) {
                    quietly("record", () -> running.report(requestId, index, stage, fraction, message, clock.millis()));
                }
                return outcome;
            });
        } finally {
            quietly("clear", () -> running.clear(requestId, index, stage));
        }
    }

    private void quietly(String action, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            if (!RedisErrors.isRedisFailure(e)) {
                throw e;
            }
            log.warn("could not {} the request's copy of a {} job's progress: {}", action, stage.queueName(), e.getMessage());
        }
    }
}
