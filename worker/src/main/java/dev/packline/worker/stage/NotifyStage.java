package dev.packline.worker.stage;

import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.job.NotifyJob;
import dev.packline.queue.Job;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.notify.Alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The notify stage, one job per finished request: sends the request's summary (counts, failed
 * channels with their errors, timings) to the notification channels the request named (or its
 * publisher's), honouring the request's level (all, failures, none).
 */
public final class NotifyStage implements JobHandler {
    private static final int LISTED_FAILURES = 20;
    private final StageContext ctx;

    public NotifyStage(StageContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handle(Job job) throws Exception {
        String requestId = Payload.read(job, NotifyJob.class).requestId();
        RequestStatus status = ctx.requests().status(requestId)
                .orElseThrow(() -> new RejectJobException("request " + requestId + " no longer exists (retention passed?)"));
        String level = status.request().notifyLevel();
        if (level.equals("none") || (level.equals("failures") && status.failed() == 0 && failedPatches(status) == 0)) {
            return;
        }
        ctx.notifications().send(summary(status));
    }

    static Alert summary(RequestStatus status) {
        StringBuilder text = new StringBuilder();
        text.append(status.total() - status.failed()).append(" of ").append(status.total()).append(" channels done");
        if (status.failed() > 0) {
            text.append(", ").append(status.failed()).append(" failed");
        }
        long failedPatches = failedPatches(status);
        if (!status.diffs().isEmpty()) {
            int patches = status.diffs().size();
            text.append(", ").append(patches - failedPatches).append(" of ").append(patches).append(patches == 1 ? " patch made" : " patches made");
        }
        if (status.startedAt() != null && status.finishedAt() != null) {
            text.append(" in ").append(Duration.ofMillis(status.finishedAt() - status.createdAt()).toSeconds()).append(" s");
        }
        text.append(".\n");
        status.channels().stream().filter(c -> "dead".equals(c.get("outcome"))).limit(LISTED_FAILURES)
                .forEach(c -> text.append("- ").append(c.get("channel")).append(": ").append(c.get("error")).append('\n'));
        status.diffs().stream().filter(d -> "failed".equals(d.get("state"))).limit(LISTED_FAILURES)
                .forEach(d -> text.append("- patch ").append(shortSha(d.get("oldSha256"))).append(" -> ").append(shortSha(d.get("newSha256")))
                        .append(": ").append(d.get("error")).append('\n'));
        Alert.Severity severity = status.failed() == 0 && failedPatches == 0 ? Alert.Severity.INFO : Alert.Severity.WARNING;
        return new Alert("request:" + status.request().id(), severity, Alert.Status.RESOLVED,
                "request " + status.request().id() + " (" + status.request().appId() + ") " + status.state(), text.toString(),
                // the publisher and the channels the request named route the summary (NotificationChannels)
                Map.of("request", status.request().id(), "app", status.request().appId(), "state", status.state(),
                        "publisher", status.request().publisher(), "notify", String.join(",", status.request().notifyChannels())),
                Instant.ofEpochMilli(status.finishedAt() == null ? System.currentTimeMillis() : status.finishedAt()));
    }

    private static long failedPatches(RequestStatus status) {
        return status.diffs().stream().filter(d -> "failed".equals(d.get("state"))).count();
    }

    private static String shortSha(Object sha256) {
        String text = String.valueOf(sha256);
        return text.length() > 12 ? text.substring(0, 12) : text;
    }
}
