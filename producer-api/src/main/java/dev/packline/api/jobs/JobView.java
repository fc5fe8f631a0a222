package dev.packline.api.jobs;

import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestState;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.RunningChannel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How a request looks in answers: the full status, a list entry, and a progress event. */
final class JobView {
    private JobView() {
    }

    static String statusUrl(String id) {
        return "/v1/jobs/" + id;
    }

    /** {@code GET /v1/jobs/{id}}: state, counts per stage, per-channel results and errors, timings, progress. */
    static Map<String, Object> full(RequestStatus s, long now) {
        PackagingRequest r = s.request();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("appId", r.appId());
        out.put("state", s.state());
        out.put("cancelRequested", s.cancelRequested());
        out.put("progress", s.progressPercent());
        out.put("channels", channelCounts(s.total(), s.ended(), s.failed(), s.channels().stream().filter(c -> "cancelled".equals(c.get("outcome"))).count()));
        out.put("stages", stages(s.counts()));
        out.put("timings", timings(s.createdAt(), s.startedAt(), s.finishedAt(), now));
        out.put("running", running(s.running(), r));
        out.put("results", s.channels());
        out.put("diffs", s.diffs());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("mother", r.mother());
        request.put("format", r.format());
        request.put("outputStore", r.outputStore());
        request.put("outputPrefix", r.outputPrefix());
        request.put("nameTemplate", r.nameTemplate());
        request.put("diffAgainst", r.diffAgainst());
        request.put("notifyChannels", r.notifyChannels());
        request.put("notifyLevel", r.notifyLevel());
        request.put("priority", r.priority());
        request.put("channels", r.channels().size());
        out.put("request", request);
        out.put("links", Map.of("self", statusUrl(r.id()), "events", statusUrl(r.id()) + "/events"));
        return out;
    }

    /** A list entry or a progress event: everything but the spec and the per-channel results. */
    static Map<String, Object> summary(RequestStore.Summary s, String appId, long now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        if (appId != null) {
            out.put("appId", appId);
        }
        out.put("state", s.state());
        out.put("cancelRequested", s.cancelRequested());
        out.put("progress", s.progressPercent());
        out.put("channels", channelCounts(s.total(), s.ended(), s.failed(), s.cancelled()));
        out.put("stages", stages(s.counts()));
        out.put("timings", timings(s.createdAt(), s.startedAt(), s.finishedAt(), now));
        out.put("running", running(s.running(), null));
        out.put("links", Map.of("self", statusUrl(s.id()), "events", statusUrl(s.id()) + "/events"));
        return out;
    }

    /**
     * The channel jobs running now, each with its stage's last progress report; {@code request} names
     * the channels when known (the full status), a summary gives their indexes only.
     */
    private static List<Map<String, Object>> running(List<RunningChannel> running, PackagingRequest request) {
        List<Map<String, Object>> out = new ArrayList<>(running.size());
        for (RunningChannel c : running) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", c.index());
            if (request != null && c.index() >= 0 && c.index() < request.channels().size()) {
                entry.put("channel", request.channels().get(c.index()).name());
            }
            entry.put("stage", c.stage());
            entry.put("fraction", c.fraction());
            entry.put("message", c.message());
            entry.put("at", Instant.ofEpochMilli(c.atMillis()).toString());
            out.add(entry);
        }
        return out;
    }

    private static Map<String, Object> channelCounts(int total, int ended, int failed, long cancelled) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("total", total);
        counts.put("ended", ended);
        counts.put("failed", failed);
        counts.put("cancelled", cancelled);
        counts.put("done", Math.max(0, ended - failed - cancelled));
        return counts;
    }

    /** {@code package.done: 3} becomes {@code {"package": {"done": 3}}}. */
    private static Map<String, Map<String, Long>> stages(Map<String, Long> counts) {
        Map<String, Map<String, Long>> stages = new TreeMap<>();
        counts.forEach((k, v) -> {
            int dot = k.indexOf('.');
            stages.computeIfAbsent(k.substring(0, dot), x -> new TreeMap<>()).put(k.substring(dot + 1), v);
        });
        return stages;
    }

    private static Map<String, Object> timings(long createdAt, Long startedAt, Long finishedAt, long now) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("createdAt", Instant.ofEpochMilli(createdAt).toString());
        t.put("startedAt", startedAt == null ? null : Instant.ofEpochMilli(startedAt).toString());
        t.put("finishedAt", finishedAt == null ? null : Instant.ofEpochMilli(finishedAt).toString());
        t.put("queuedMs", (startedAt == null ? (finishedAt == null ? now : finishedAt) : startedAt) - createdAt);
        t.put("runningMs", startedAt == null ? null : (finishedAt == null ? now : finishedAt) - startedAt);
        t.put("totalMs", (finishedAt == null ? now : finishedAt) - createdAt);
        return t;
    }

    static List<String> states() {
        return RequestState.wireNames();
    }
}
