package dev.packline.queue.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.JobAction;
import dev.packline.queue.JobActionOutcome;
import dev.packline.queue.JobActionResult;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueException;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.WorkerCommand;
import dev.packline.redis.LuaScript;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The broker's part for admins acting on single jobs and workers: reading records in batches, the
 * job actions (cancel, run now, requeue, delete; one script each, per batch of ids), the cancel
 * marks a worker reads at its heartbeat, and the worker control key. {@link RedisQueueBroker}
 * delegates to it and lends it its error mapping.
 */
final class RedisJobControl {
    private static final LuaScript CANCEL = LuaScript.load(RedisQueueBroker.SCRIPTS, "cancel.lua");
    private static final LuaScript MAKE_READY = LuaScript.load(RedisQueueBroker.SCRIPTS, "make_ready.lua");
    private static final LuaScript DELETE_JOB = LuaScript.load(RedisQueueBroker.SCRIPTS, "delete_job.lua");
    private static final LuaScript CANCEL_CHECK = LuaScript.load(RedisQueueBroker.SCRIPTS, "cancel_check.lua");
    /**
     * Ids per action script call. A call that cancels or deletes plain pending jobs rewrites the
     * pending list once (O(its length)), so a bulk action over a long backlog costs one pass per
     * batch: bigger batches mean fewer passes, smaller ones shorter pauses for other clients.
     */
    static final int ACTION_BATCH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The broker's wrapper that turns Jedis failures into queue exceptions naming the operation. */
    interface Calls {
        <T> T call(String operation, Supplier<T> body);
    }

    private final UnifiedJedis redis;
    private final Clock clock;
    private final Calls calls;
    private final int eventsMaxLength;

    RedisJobControl(UnifiedJedis redis, Clock clock, Calls calls, int eventsMaxLength) {
        this.redis = redis;
        this.clock = clock;
        this.calls = calls;
        this.eventsMaxLength = eventsMaxLength;
    }

    List<JobRecord> jobs(QueueVersion queue, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Keys keys = new Keys(queue);
        String[] fields = ids.toArray(String[]::new);
        String what = "read " + (ids.size() == 1 ? "job " + ids.get(0) : ids.size() + " jobs") + " of " + queue;
        List<String> raws = calls.call(what, () -> redis.hmget(keys.meta, fields));
        List<String> payloads = calls.call(what, () -> redis.hmget(keys.payload, fields));
        List<String> progress = calls.call(what, () -> redis.hmget(keys.progress, fields));
        List<JobRecord> records = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            if (raws.get(i) != null) {
                records.add(parse(queue, ids.get(i), raws.get(i), payloads.get(i), progress.get(i)));
            }
        }
        return records;
    }

    private static JobRecord parse(QueueVersion queue, String id, String raw, String payload, String progress) {
        try {
            Map<String, Object> record = JSON.readValue(raw, new TypeReference<>() {
            });
            // job_record.lua always writes these fields; empty and zero mean "not set"
            record.remove("worker", "");
            record.remove("startedAt", 0);
            record.remove("finishedAt", 0);
            if (progress != null) {
                record.put("progress", JSON.readValue(progress, new TypeReference<Map<String, Object>>() {
                }));
            }
            return new JobRecord(queue, id, JobState.parse(String.valueOf(record.get("state"))), payload, record);
        } catch (JsonProcessingException e) {
            throw new QueueException("record of job " + id + " in " + queue + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    List<JobActionResult> act(QueueVersion queue, JobAction action, List<String> ids) {
        List<JobActionResult> results = new ArrayList<>(ids.size());
        for (int start = 0; start < ids.size(); start += ACTION_BATCH) {
            List<String> batch = ids.subList(start, Math.min(ids.size(), start + ACTION_BATCH));
            List<Object> answers = run(queue, action, batch);
            for (int i = 0; i < batch.size(); i++) {
                results.add(result(batch.get(i), action, text(answers.get(i))));
            }
        }
        return results;
    }

    private List<Object> run(QueueVersion queue, JobAction action, List<String> batch) {
        Keys keys = new Keys(queue);
        String now = Long.toString(clock.millis());
        String what = action.name().toLowerCase().replace('_', '-') + " " + batch.size() + " jobs of " + queue;
        Object reply = calls.call(what, () -> switch (action) {
            case CANCEL -> CANCEL.run(redis, concat(concat(List.of(keys.meta, keys.payload, keys.delayed, keys.retry, keys.done, keys.stats,
                    keys.cancels), keys.readyPlaces()), List.of(keys.events)),
                    concat(List.of(now, Integer.toString(eventsMaxLength), queue.label()), batch));
            case RUN_NOW, REQUEUE -> MAKE_READY.run(redis, concat(List.of(keys.info, keys.meta, keys.delayed, keys.retry, keys.dead,
                    keys.stats), keys.readyPlaces()), concat(List.of(now, action == JobAction.REQUEUE ? "requeue" : "run-now"), batch));
            case DELETE -> DELETE_JOB.run(redis, concat(List.of(keys.meta, keys.payload, keys.delayed, keys.retry, keys.dead, keys.done,
                    keys.cancels), keys.readyPlaces()), batch);
        });
        @SuppressWarnings("unchecked")
        List<Object> answers = (List<Object>) reply;
        if (action == JobAction.RUN_NOW || action == JobAction.REQUEUE) {
            if ("refused".equals(text(answers.get(0)))) {
                throw new QueueStateException("cannot make jobs of " + queue + " ready: the version is " + text(answers.get(1)));
            }
            answers = answers.subList(1, answers.size());
        }
        return answers;
    }

    private static JobActionResult result(String id, JobAction action, String answer) {
        return switch (answer) {
            case "ended" -> new JobActionResult(id, action, JobActionOutcome.CANCELLED, null);
            case "marked" -> new JobActionResult(id, action, JobActionOutcome.CANCEL_REQUESTED, JobState.ACTIVE);
            case "ready" -> new JobActionResult(id, action, JobActionOutcome.MADE_PENDING, null);
            case "deleted" -> new JobActionResult(id, action, JobActionOutcome.DELETED, null);
            case "missing" -> new JobActionResult(id, action, JobActionOutcome.NOT_FOUND, null);
            default -> new JobActionResult(id, action, JobActionOutcome.NOT_APPLICABLE, JobState.parse(answer));
        };
    }

    List<String> cancelsRequested(QueueVersion queue, String workerId) {
        Keys keys = new Keys(queue);
        Object reply = calls.call("read cancel requests on " + queue, () -> CANCEL_CHECK.run(redis, List.of(keys.cancels, keys.meta),
                List.of(workerId)));
        List<String> ids = new ArrayList<>();
        ((List<?>) reply).forEach(id -> ids.add(text(id)));
        return ids;
    }

    void sendWorkerCommand(String workerId, WorkerCommand command, Duration ttl) {
        calls.call("ask worker " + workerId + " to " + command.wireName(),
                () -> redis.set(Keys.workerControl(workerId), command.wireName(), SetParams.setParams().px(ttl.toMillis())));
    }

    Optional<WorkerCommand> takeWorkerCommand(String workerId) {
        String command = calls.call("read commands for worker " + workerId, () -> redis.getDel(Keys.workerControl(workerId)));
        return Optional.ofNullable(command).map(WorkerCommand::parse);
    }

    private static List<String> concat(List<String> first, List<String> more) {
        List<String> all = new ArrayList<>(first.size() + more.size());
        all.addAll(first);
        all.addAll(more);
        return all;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
