package dev.packline.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.QueueException;
import dev.packline.redis.LuaScript;
import dev.packline.redis.RedisErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The state of packaging requests in Redis: per request a hash of counters, state and times, and a
 * hash of per-channel results, both under the hash tag {@code {req:ID}}; finished requests expire
 * after the retention period. Every change is one script, idempotent per (channel, stage).
 */
public final class RequestStore {
    private static final Logger log = LoggerFactory.getLogger(RequestStore.class);
    private static final String SCRIPTS = "/dev/packline/pipeline/scripts/";
    private static final LuaScript CREATE = LuaScript.load(SCRIPTS, "request_create.lua");
    private static final LuaScript PROGRESS = LuaScript.load(SCRIPTS, "request_progress.lua");
    private static final LuaScript CANCEL = LuaScript.load(SCRIPTS, "request_cancel.lua");
    private static final LuaScript DIFF = LuaScript.load(SCRIPTS, "request_diff.lua");
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Outcome { DONE, DEAD, CANCELLED }

    /**
     * What a progress call did; {@code finishedNow} is true for exactly one call per request,
     * {@code finished} whenever the request is in a final state (it may wait for its patches after
     * its last channel has ended).
     */
    public record Progress(boolean recorded, int ended, int total, boolean finishedNow, boolean finished) {
    }

    private final UnifiedJedis redis;
    private final Clock clock;
    private final Duration retention;
    private final RequestIndex index;

    public RequestStore(UnifiedJedis redis, Clock clock, Duration retention) {
        this.redis = redis;
        this.clock = clock;
        this.retention = retention;
        this.index = new RequestIndex(redis, retention);
    }

    /**
     * Records a new request and lists it in the {@link RequestIndex}; false when one with that id
     * exists (a retried submit). The index is written after the request, in its own slot: a crash
     * or a failed write between the two leaves a request the console's list does not show, never an
     * entry without one, and never a refused submit of a request that exists.
     */
    public boolean create(PackagingRequest request) {
        long now = clock.millis();
        Object created = call("create request " + request.id(), () -> CREATE.run(redis, List.of(Keys.request(request.id())),
                List.of(request.toJson(), Integer.toString(request.channels().size()), Long.toString(now))));
        if (((Number) created).longValue() != 1) {
            return false;
        }
        try {
            index.add(request, now);
        } catch (RuntimeException e) {
            // the request exists and its submit succeeds: only the console's list misses it (it is found by id)
            log.warn("request {} is not in the request index: {}", request.id(), e.getMessage());
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    public Progress progress(String requestId, int channel, Stage stage, Outcome outcome, Map<String, Object> result, boolean terminal) {
        String resultJson;
        try {
            resultJson = JSON.writeValueAsString(result.isEmpty() ? Map.of("stage", stage.queueName()) : result);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("result of channel " + channel + " is not serialisable", e);
        }
        List<Object> reply = (List<Object>) call("record progress of request " + requestId, () -> PROGRESS.run(redis,
                List.of(Keys.request(requestId), Keys.channels(requestId)),
                List.of(Integer.toString(channel), stage.queueName(), outcome.name().toLowerCase(), resultJson, terminal ? "1" : "0",
                        Long.toString(clock.millis()), Long.toString(retention.toSeconds()))));
        long recorded = ((Number) reply.get(0)).longValue();
        if (recorded < 0) {
            throw new RequestNotFoundException(requestId);
        }
        return new Progress(recorded == 1, ((Number) reply.get(1)).intValue(), ((Number) reply.get(2)).intValue(),
                ((Number) reply.get(3)).longValue() == 1, ((Number) reply.get(4)).longValue() == 1);
    }

    /** Asks to cancel; empty when there is no such request (never created, or expired). */
    public Optional<Cancellation> cancel(String requestId) {
        Object reply = call("cancel request " + requestId, () -> CANCEL.run(redis, List.of(Keys.request(requestId)),
                List.of(Long.toString(clock.millis()))));
        if (!(reply instanceof List<?> pair)) {
            return Optional.empty();
        }
        Cancellation.Kind kind = ((Number) pair.get(0)).longValue() == 1 ? Cancellation.Kind.ACCEPTED : Cancellation.Kind.ALREADY_FINISHED;
        return Optional.of(new Cancellation(kind, RequestState.fromWire(pair.get(1).toString())));
    }

    /** The request as submitted (its spec only: cheap whatever its number of channels); empty when unknown. */
    public Optional<PackagingRequest> request(String requestId) {
        String spec = call("read request " + requestId, () -> redis.hget(Keys.request(requestId), "spec"));
        return Optional.ofNullable(spec).map(PackagingRequest::fromJson);
    }

    /** Whether some package job of the request has planned (linked and enqueued) its patches. */
    public boolean diffsPlanned(String requestId) {
        return call("read request " + requestId, () -> redis.hexists(Keys.request(requestId), "diffsPlanned"));
    }

    /** Records that the request's patches are planned: later package jobs skip the planning. */
    public void markDiffsPlanned(String requestId) {
        call("mark the diffs of request " + requestId + " planned", () -> redis.hset(Keys.request(requestId), "diffsPlanned", "1"));
    }

    /**
     * Records that a request waits for the patch of a mother pair (one patch serves every request
     * with that pair): the request finishes only once the patch has ended. If the patch already
     * ended (made for an earlier request), that is recorded at once. Returns what the request's
     * side did; {@code finishedNow} when this call finished it.
     */
    public Progress linkDiff(String requestId, String oldSha256, String newSha256) {
        // waiter first, then the link, then the look at the patch: a patch ending at any point
        // between is seen either by this call or by the ending call (both record it, once)
        call("register request " + requestId + " for a diff", () -> {
            String waiters = Keys.diffWaiters(oldSha256, newSha256);
            redis.sadd(waiters, requestId);
            return redis.expire(waiters, retention.toSeconds());
        });
        Progress progress = diffProgress(requestId, oldSha256, newSha256, "link").orElseThrow(
                () -> new RequestNotFoundException(requestId));
        // two reads, not one MGET: the two keys are in different Cluster slots
        if (diffRecorded(oldSha256, newSha256)) {
            return diffProgress(requestId, oldSha256, newSha256, "done").orElse(progress);
        }
        if (call("read failed diff " + oldSha256 + " -> " + newSha256, () -> redis.exists(Keys.diffFailure(oldSha256, newSha256)))) {
            return diffProgress(requestId, oldSha256, newSha256, "dead").orElse(progress);
        }
        return progress;
    }

    /**
     * Stores a finished patch's description and records it in every request waiting for its pair.
     * Returns what that did per waiting request (still existing ones): {@code finishedNow} for the
     * requests this finished, {@code finished} for every one in a final state (a redelivered diff job
     * finds them so and can still get their notification out).
     */
    public Map<String, Progress> recordDiff(String oldSha256, String newSha256, Map<String, Object> result) {
        try {
            String json = JSON.writeValueAsString(result);
            call("record diff " + oldSha256 + " -> " + newSha256, () -> redis.setex(Keys.diff(oldSha256, newSha256), retention.toSeconds(), json));
            // a dead-lettered diff job an admin requeued has now succeeded: later requests get the patch
            call("clear failed diff " + oldSha256 + " -> " + newSha256, () -> redis.del(Keys.diffFailure(oldSha256, newSha256)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("diff result is not serialisable", e);
        }
        return endDiffForWaiters(oldSha256, newSha256, "done");
    }

    /**
     * When the patch of a mother pair is already recorded (a diff job redelivered after recording it,
     * or enqueued again once the queue forgot the first), ends it in every waiting request as
     * {@link #recordDiff} does, so nothing is made twice; empty when there is no such patch.
     */
    public Optional<Map<String, Progress>> endRecordedDiff(String oldSha256, String newSha256) {
        if (!diffRecorded(oldSha256, newSha256)) {
            return Optional.empty();
        }
        return Optional.of(endDiffForWaiters(oldSha256, newSha256, "done"));
    }

    private boolean diffRecorded(String oldSha256, String newSha256) {
        return call("read diff " + oldSha256 + " -> " + newSha256, () -> redis.exists(Keys.diff(oldSha256, newSha256)));
    }

    /**
     * Records that the patch of a mother pair failed for good (its job was dead-lettered), with the
     * reason, in every request waiting for it; a request with a failed patch ends partly failed.
     * Returns what that did per waiting request, as {@link #recordDiff} does.
     */
    public Map<String, Progress> recordDiffFailure(String oldSha256, String newSha256, String error) {
        try {
            String json = JSON.writeValueAsString(Map.of("error", error));
            call("record failed diff " + oldSha256 + " -> " + newSha256,
                    () -> redis.setex(Keys.diffFailure(oldSha256, newSha256), retention.toSeconds(), json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("diff error is not serialisable", e);
        }
        return endDiffForWaiters(oldSha256, newSha256, "dead");
    }

    private Map<String, Progress> endDiffForWaiters(String oldSha256, String newSha256, String action) {
        Map<String, Progress> outcomes = new LinkedHashMap<>();
        Set<String> waiters = call("read requests waiting for diff " + oldSha256 + " -> " + newSha256,
                () -> redis.smembers(Keys.diffWaiters(oldSha256, newSha256)));
        for (String requestId : waiters) {
            Optional<Progress> progress = diffProgress(requestId, oldSha256, newSha256, action);
            progress.ifPresent(p -> outcomes.put(requestId, p));
        }
        return outcomes;
    }

    /** Empty when the request no longer exists (expired). */
    @SuppressWarnings("unchecked")
    private Optional<Progress> diffProgress(String requestId, String oldSha256, String newSha256, String action) {
        List<Object> reply = (List<Object>) call(action + " diff " + oldSha256 + " -> " + newSha256 + " for request " + requestId,
                () -> DIFF.run(redis, List.of(Keys.request(requestId), Keys.channels(requestId)),
                        List.of("diff:" + oldSha256 + ":" + newSha256, action, Long.toString(clock.millis()),
                                Long.toString(retention.toSeconds()))));
        long recorded = ((Number) reply.get(0)).longValue();
        if (recorded < 0) {
            return Optional.empty();
        }
        return Optional.of(new Progress(recorded == 1, 0, 0, ((Number) reply.get(1)).longValue() == 1, ((Number) reply.get(2)).longValue() == 1));
    }

    /** Whether stages should still work for the request (one read of two fields). */
    public RequestLiveness liveness(String requestId) {
        List<String> values = call("read request " + requestId, () -> redis.hmget(Keys.request(requestId), "state", "cancelRequested"));
        if (values.get(0) == null) {
            return RequestLiveness.GONE;
        }
        return values.get(1) == null ? RequestLiveness.ACTIVE : RequestLiveness.CANCEL_REQUESTED;
    }

    public Optional<RequestStatus> status(String requestId) {
        Map<String, String> fields = call("read request " + requestId, () -> redis.hgetAll(Keys.request(requestId)));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> channelFields = call("read channels of request " + requestId, () -> redis.hgetAll(Keys.channels(requestId)));
        Map<Integer, Map<String, Object>> byIndex = new TreeMap<>();
        for (Map.Entry<String, String> e : channelFields.entrySet()) {
            try {
                Map<String, Object> channel = new LinkedHashMap<>(JSON.readValue(e.getValue(), new TypeReference<Map<String, Object>>() {
                }));
                channel.put("index", Integer.parseInt(e.getKey()));
                byIndex.put(Integer.parseInt(e.getKey()), channel);
            } catch (JsonProcessingException ex) {
                throw new QueueException("channel " + e.getKey() + " of request " + requestId + " is not valid JSON", ex);
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        List<Map<String, Object>> diffs = new ArrayList<>();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String k = f.getKey();
            if (k.startsWith("diff:")) {
                String[] pair = k.split(":");
                boolean failed = "dead".equals(f.getValue());
                String json = call("read diff of request " + requestId,
                        () -> redis.get(failed ? Keys.diffFailure(pair[1], pair[2]) : Keys.diff(pair[1], pair[2])));
                String state = failed ? "failed" : json == null ? "pending" : "done";
                Map<String, Object> diff = new LinkedHashMap<>(Map.of("oldSha256", pair[1], "newSha256", pair[2], "state", state));
                if (json != null) {
                    try {
                        diff.putAll(JSON.readValue(json, new TypeReference<Map<String, Object>>() {
                        }));
                    } catch (JsonProcessingException e) {
                        throw new QueueException("diff record " + k + " is not valid JSON", e);
                    }
                }
                diffs.add(diff);
            } else if (k.contains(".")) {
                counts.put(k, Long.parseLong(f.getValue()));
            }
        }
        return Optional.of(new RequestStatus(PackagingRequest.fromJson(fields.get("spec")), fields.get("state"),
                Integer.parseInt(fields.get("total")), Integer.parseInt(fields.get("ended")), Integer.parseInt(fields.get("failed")),
                counts, Long.parseLong(fields.get("createdAt")), optionalLong(fields.get("startedAt")),
                optionalLong(fields.get("finishedAt")), fields.containsKey("cancelRequested"), new ArrayList<>(byIndex.values()), diffs,
                fields.containsKey("finishedAt") ? List.of() : running(requestId).stream()
                        .filter(r -> !Boolean.TRUE.equals(byIndex.getOrDefault(r.index(), Map.of()).get("ended"))) // a lost delivery's last report
                        .toList()));
    }

    /**
     * A request's state and counters without its spec and channel results: cheap enough to read
     * often (progress streams, list pages, in-flight accounting) whatever the number of channels.
     * {@code counts} holds the non-zero {@code stage.outcome} counters, {@code running} the progress of
     * the channel jobs running now (a small hash: at most one field per running job).
     */
    public record Summary(String id, String state, int total, int ended, int failed, int cancelled, long createdAt, Long startedAt,
                          Long finishedAt, boolean cancelRequested, Map<String, Long> counts, List<RunningChannel> running) {
        public int progressPercent() {
            return total == 0 ? 100 : (int) (100L * ended / total);
        }

        public boolean finished() {
            return finishedAt != null;
        }

        public RequestState requestState() {
            return RequestState.fromWire(state);
        }
    }

    private static final List<String> SUMMARY_FIELDS = List.of("state", "total", "ended", "failed", "cancelled", "createdAt", "startedAt",
            "finishedAt", "cancelRequested");
    private static final List<String> COUNTER_FIELDS = java.util.Arrays.stream(Stage.values())
            .flatMap(stage -> java.util.Arrays.stream(Outcome.values()).map(o -> stage.queueName() + "." + o.name().toLowerCase(java.util.Locale.ROOT)))
            .toList();

    /** The request's {@link Summary}, empty when there is no such request (never created, or expired). */
    public Optional<Summary> summary(String requestId) {
        List<String> fields = new ArrayList<>(SUMMARY_FIELDS);
        fields.addAll(COUNTER_FIELDS);
        List<String> values = call("read request " + requestId, () -> redis.hmget(Keys.request(requestId), fields.toArray(String[]::new)));
        if (values.get(0) == null) {
            return Optional.empty();
        }
        Map<String, Long> counts = new TreeMap<>();
        for (int i = SUMMARY_FIELDS.size(); i < fields.size(); i++) {
            if (values.get(i) != null) {
                counts.put(fields.get(i), Long.parseLong(values.get(i)));
            }
        }
        return Optional.of(new Summary(requestId, values.get(0), Integer.parseInt(values.get(1)), Integer.parseInt(values.get(2)),
                Integer.parseInt(values.get(3)), values.get(4) == null ? 0 : Integer.parseInt(values.get(4)), Long.parseLong(values.get(5)),
                optionalLong(values.get(6)), optionalLong(values.get(7)), values.get(8) != null, counts,
                values.get(7) == null ? running(requestId) : List.of()));
    }

    /** The running channel jobs' progress ({@link RunningChannels}); a finished request has none to read. */
    private List<RunningChannel> running(String requestId) {
        return RunningChannels.parse(call("read running channels of request " + requestId, () -> redis.hgetAll(Keys.running(requestId))));
    }

    private static Long optionalLong(String text) {
        return text == null ? null : Long.parseLong(text);
    }

    private <T> T call(String operation, Supplier<T> body) {
        return RedisErrors.call(operation, body);
    }
}
