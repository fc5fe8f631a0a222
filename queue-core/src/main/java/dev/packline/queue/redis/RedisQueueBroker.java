package dev.packline.queue.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.CountCorrection;
import dev.packline.queue.Enqueued;
import dev.packline.queue.GroupSettings;
import dev.packline.queue.GroupStatus;
import dev.packline.queue.Job;
import dev.packline.queue.JobAction;
import dev.packline.queue.JobActionResult;
import dev.packline.queue.JobProgress;
import dev.packline.queue.LevelStatus;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.Priority;
import dev.packline.queue.NewJob;
import dev.packline.queue.FirstVersion;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueException;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueUnavailableException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionNotAcceptingJobsException;
import dev.packline.queue.VersionState;
import dev.packline.queue.WorkerCommand;
import dev.packline.redis.LuaScript;
import dev.packline.redis.RedisConnector;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The queue in Redis. Each state change is one Lua script (see the scripts folder, each with a
 * KEYS/ARGV header); this class only prepares arguments and reads answers. Times come from the
 * injected clock. Redis failures surface as {@link QueueUnavailableException} naming the server
 * and the operation.
 */
public final class RedisQueueBroker implements QueueBroker {
    /** The queue's Lua scripts on the classpath; the registry's are there too. */
    static final String SCRIPTS = "/dev/packline/queue/scripts/";
    private static final LuaScript ENQUEUE = LuaScript.load(SCRIPTS, "enqueue.lua");
    private static final LuaScript FETCH = LuaScript.load(SCRIPTS, "fetch.lua");
    private static final LuaScript COMPLETE = LuaScript.load(SCRIPTS, "complete.lua");
    private static final LuaScript FAIL = LuaScript.load(SCRIPTS, "fail.lua");
    private static final LuaScript HEARTBEAT = LuaScript.load(SCRIPTS, "heartbeat.lua");
    private static final LuaScript RECOVER_WORKER = LuaScript.load(SCRIPTS, "recover_worker.lua");
    private static final LuaScript RECOVER_OVERDUE = LuaScript.load(SCRIPTS, "recover_overdue.lua");
    private static final LuaScript TRIM = LuaScript.load(SCRIPTS, "trim.lua");
    private static final LuaScript COUNTS = LuaScript.load(SCRIPTS, "counts.lua");
    private static final LuaScript REQUEUE_DEAD = LuaScript.load(SCRIPTS, "requeue_dead.lua");
    private static final LuaScript DELETE_DEAD = LuaScript.load(SCRIPTS, "delete_dead.lua");
    private static final LuaScript OBLITERATE = LuaScript.load(SCRIPTS, "obliterate.lua");
    private static final LuaScript MIGRATE_TAKE = LuaScript.load(SCRIPTS, "migrate_take.lua");
    private static final LuaScript MIGRATE_DONE = LuaScript.load(SCRIPTS, "migrate_done.lua");
    private static final LuaScript GROUP_SETTINGS = LuaScript.load(SCRIPTS, "group_settings.lua");
    private static final LuaScript PROGRESS = LuaScript.load(SCRIPTS, "progress.lua");
    private static final LuaScript LEVELS = LuaScript.load(SCRIPTS, "levels.lua");
    private static final LuaScript RUNNING_GROUPS = LuaScript.load(SCRIPTS, "running_groups.lua");

    /** Jobs per enqueue script call: bigger batches would block Redis for other clients. */
    static final int ENQUEUE_CHUNK = 500;
    /**
     * Jobs per fetch or complete script call. The scripts pass a whole batch to one variadic command
     * (HSET, ZADD, ...) and Lua's unpack fits about 8000 values, two per job at most.
     */
    static final int SCRIPT_BATCH = 1000;
    /** Scheduled jobs promoted per fetch and zset: bounds the fetch script's work. */
    static final int PROMOTE_LIMIT = 1000;
    /** How long an expired worker stays listed (for the admin tool) before it is forgotten. */
    static final Duration EXPIRED_WORKER_LINGER = Duration.ofHours(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final String endpoint;
    private final Clock clock;
    private final Retention retention;
    private final RedisVersionRegistry registry;
    private final boolean ownsClient;
    private final RedisJobControl control;

    /**
     * @param redis      the client (standalone or cluster); closed by {@link #close()} only if {@code ownsClient}
     * @param endpoint   where it points, without password, for error messages
     */
    public RedisQueueBroker(UnifiedJedis redis, String endpoint, Clock clock, Retention retention, boolean ownsClient) {
        this.redis = redis;
        this.endpoint = endpoint;
        this.clock = clock;
        this.retention = retention;
        this.registry = new RedisVersionRegistry(redis, clock);
        this.ownsClient = ownsClient;
        this.control = new RedisJobControl(redis, clock, this::call, retention.eventsMaxLength());
    }

    /** Opens its own client from a Redis URL and closes it with the broker. */
    public static RedisQueueBroker connect(String url, Clock clock, Retention retention) {
        return new RedisQueueBroker(RedisConnector.open(url), RedisConnector.describe(url), clock, retention, true);
    }

    // ---- registry

    @Override
    public Set<String> queueNames() {
        return call("list queues", registry::queueNames);
    }

    @Override
    public QueueVersion createVersion(String queueName) {
        return call("create a version of queue " + queueName, () -> registry.createVersion(queueName));
    }

    @Override
    public FirstVersion createFirstVersion(String queueName) {
        return call("create the first version of queue " + queueName, () -> registry.createFirstVersion(queueName));
    }

    @Override
    public Optional<QueueVersion> currentVersion(String queueName) {
        return call("read the current version of queue " + queueName, () -> registry.currentVersion(queueName));
    }

    @Override
    public void setCurrentVersion(QueueVersion queue) {
        call("make " + queue + " current", () -> {
            registry.setCurrentVersion(queue);
            return null;
        });
    }

    @Override
    public List<QueueVersion> versions(String queueName) {
        return call("list versions of queue " + queueName, () -> registry.versions(queueName));
    }

    @Override
    public VersionState changeState(QueueVersion queue, VersionChange change, boolean force) {
        return call(change.name().toLowerCase() + " " + queue, () -> registry.changeState(queue, change, force));
    }

    // ---- producer

    @Override
    public List<Enqueued> enqueue(QueueVersion queue, List<NewJob> jobs) {
        Keys keys = Keys.of(queue);
        List<Enqueued> results = new ArrayList<>(jobs.size());
        for (int start = 0; start < jobs.size(); start += ENQUEUE_CHUNK) {
            List<NewJob> chunk = jobs.subList(start, Math.min(jobs.size(), start + ENQUEUE_CHUNK));
            List<String> args = new ArrayList<>(2 + chunk.size() * 7);
            args.add(Long.toString(clock.millis()));
            args.add(Integer.toString(chunk.size()));
            List<String> ids = new ArrayList<>(chunk.size());
            for (NewJob job : chunk) {
                String id = job.id() != null ? job.id() : newJobId();
                ids.add(id);
                args.add(id);
                args.add(job.payload());
                args.add(Integer.toString(job.maxAttempts()));
                args.add(Long.toString(job.timeout().toMillis()));
                args.add(Long.toString(job.delay().toMillis()));
                // the plain job keeps today's record format and waits in the pending list
                args.add(job.isPlain() ? "" : job.priority().wireName());
                args.add(job.group() == null ? "" : job.group());
            }
            List<Object> reply = list(call("enqueue to " + queue, () -> ENQUEUE.run(redis,
                    List.of(keys.info, keys.pending, keys.delayed, keys.meta, keys.payload, keys.stats, keys.urgent, keys.normal,
                            keys.bulk, keys.groups, keys.groupSettings, keys.parked), args)));
            if ("refused".equals(text(reply.get(0)))) {
                throw new VersionNotAcceptingJobsException(queue, text(reply.get(1)));
            }
            for (int i = 0; i < ids.size(); i++) {
                results.add(new Enqueued(queue, ids.get(i), number(reply.get(i + 1)) == 1));
            }
        }
        return results;
    }

    // ---- worker runtime

    @Override
    public Fetch fetch(QueueVersion queue, String workerId, int max, String movedId, Duration workerLease) {
        Keys.WorkerKeys keys = Keys.of(queue).forWorker(workerId);
        long now = clock.millis();
        List<Object> reply = list(call("fetch from " + queue, () -> FETCH.run(redis, keys.fetch,
                List.of(Long.toString(now), workerId, Integer.toString(Math.min(max, SCRIPT_BATCH)), movedId == null ? "" : movedId,
                        Integer.toString(PROMOTE_LIMIT), Long.toString(now + workerLease.toMillis())))));
        Fetch.Status status = Fetch.Status.valueOf(text(reply.get(0)).toUpperCase());
        long nextDue = number(reply.get(1));
        int count = (int) number(reply.get(2));
        List<Job> jobs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = 3 + i * 7;
            jobs.add(new Job(queue, text(reply.get(at)), text(reply.get(at + 1)), (int) number(reply.get(at + 2)),
                    (int) number(reply.get(at + 3)), Duration.ofMillis(number(reply.get(at + 4))), text(reply.get(at + 5)),
                    number(reply.get(at + 6))));
        }
        return new Fetch(status, jobs, nextDue);
    }

    @Override
    public Optional<String> awaitJob(QueueVersion queue, String workerId, Duration timeout) {
        Keys keys = Keys.of(queue);
        double seconds = Math.max(0.01, timeout.toMillis() / 1000.0);
        return Optional.ofNullable(call("wait for a job on " + queue,
                () -> redis.blmove(keys.pending, keys.active(workerId), ListDirection.RIGHT, ListDirection.LEFT, seconds)));
    }

    @Override
    public List<Boolean> complete(QueueVersion queue, String workerId, List<Ack> acks) {
        List<Boolean> results = new ArrayList<>(acks.size());
        for (int from = 0; from < acks.size(); from += SCRIPT_BATCH) {
            results.addAll(completeChunk(queue, workerId, acks.subList(from, Math.min(acks.size(), from + SCRIPT_BATCH))));
        }
        return results;
    }

    private List<Boolean> completeChunk(QueueVersion queue, String workerId, List<Ack> acks) {
        List<String> keys = Keys.of(queue).forWorker(workerId).complete;
        List<String> args = new ArrayList<>(5 + acks.size() * 2);
        args.add(Long.toString(clock.millis()));
        args.add(workerId);
        args.add(Integer.toString(retention.doneMaxCount()));
        args.add(Long.toString(retention.doneMaxAge().toMillis()));
        args.add(Integer.toString(acks.size()));
        for (Ack ack : acks) {
            args.add(ack.jobId());
            args.add(ack.token());
        }
        List<Object> reply = list(call("complete jobs on " + queue, () -> COMPLETE.run(redis, keys, args)));
        List<Boolean> results = new ArrayList<>(reply.size());
        reply.forEach(r -> results.add(number(r) == 1));
        return results;
    }

    @Override
    public FailOutcome fail(QueueVersion queue, String workerId, Failure failure) {
        Keys keys = Keys.of(queue);
        Object reply = call("fail job " + failure.job().id() + " on " + queue, () -> FAIL.run(redis,
                with(List.of(keys.active(workerId), keys.deadlines, keys.meta, keys.payload, keys.retry, keys.dead, keys.events,
                        keys.stats), with(keys.readyPlaces(), List.of(keys.progress, keys.done, keys.cancels))),
                List.of(Long.toString(clock.millis()), workerId, failure.job().id(), failure.job().token(), failure.error(),
                        Long.toString(failure.retryAtMillis()), failure.rejected() ? "1" : "0",
                        Integer.toString(retention.deadMaxCount()), Integer.toString(retention.eventsMaxLength()), queue.label())));
        return switch (text(reply)) {
            case "retry" -> FailOutcome.RETRY_SCHEDULED;
            case "dead" -> FailOutcome.DEAD_LETTERED;
            case "cancelled" -> FailOutcome.CANCELLED;
            default -> FailOutcome.LEASE_LOST;
        };
    }

    @Override
    public boolean reportProgress(QueueVersion queue, String workerId, Job job, JobProgress progress) {
        Keys keys = Keys.of(queue);
        String json;
        try {
            json = JSON.writeValueAsString(Map.of("fraction", progress.fraction(), "message", progress.message(), "at", progress.atMillis()));
        } catch (JsonProcessingException e) {
            throw new QueueException("progress of job " + job.id() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        return number(call("report progress of job " + job.id() + " on " + queue, () -> PROGRESS.run(redis,
                List.of(keys.meta, keys.progress), List.of(workerId, job.id(), job.token(), json)))) == 1;
    }

    @Override
    public Optional<VersionState> heartbeat(QueueVersion queue, String workerId, Duration lease) {
        Keys keys = Keys.of(queue);
        Object reply = call("heartbeat on " + queue, () -> HEARTBEAT.run(redis, List.of(keys.info, keys.workers),
                List.of(workerId, Long.toString(clock.millis() + lease.toMillis()))));
        return reply == null ? Optional.empty() : Optional.of(VersionState.parse(text(reply)));
    }

    @Override
    public void publishWorkerInfo(String workerId, String json, Duration ttl) {
        long now = clock.millis();
        call("publish worker info", () -> {
            redis.set(Keys.workerInfo(workerId), json, SetParams.setParams().px(ttl.toMillis()));
            redis.zadd(Keys.WORKERS, now, workerId);
            return redis.zremrangeByScore(Keys.WORKERS, Double.NEGATIVE_INFINITY, now - EXPIRED_WORKER_LINGER.toMillis());
        });
    }

    @Override
    public List<String> workerInfos() {
        return call("list workers", () -> {
            List<String> infos = new ArrayList<>();
            for (String id : redis.zrange(Keys.WORKERS, 0, -1)) {
                String json = redis.get(Keys.workerInfo(id)); // one GET each: worker keys live in different cluster slots
                if (json != null) {
                    infos.add(json);
                }
            }
            return infos;
        });
    }

    @Override
    public Recovery recover(QueueVersion queue, Duration overdueGrace) {
        Keys keys = Keys.of(queue);
        long now = clock.millis();
        Recovery total = Recovery.NONE;
        for (WorkerLease lease : workers(queue)) {
            if (lease.expiresAtMillis() < now) {
                total = total.plus(recoverWorker(queue, lease.workerId(), "expired",
                        "worker " + lease.workerId() + " stopped heartbeating; job returned to the queue"));
            }
        }
        // Overdue jobs of live workers: find them here, take them back atomically per worker.
        List<String> overdue = call("find overdue jobs on " + queue,
                () -> redis.zrangeByScore(keys.deadlines, "-inf", Long.toString(now - overdueGrace.toMillis()), 0, 500));
        Map<String, List<String>> byWorker = new HashMap<>();
        for (String id : overdue) {
            job(queue, id).map(r -> r.record().get("worker")).ifPresent(w -> byWorker.computeIfAbsent(w.toString(), k -> new ArrayList<>()).add(id));
        }
        for (Map.Entry<String, List<String>> entry : byWorker.entrySet()) {
            List<String> args = new ArrayList<>(List.of(Long.toString(now), entry.getKey(), Long.toString(overdueGrace.toMillis()),
                    Integer.toString(retention.deadMaxCount()), Integer.toString(retention.eventsMaxLength()), queue.label()));
            args.addAll(entry.getValue());
            List<Object> reply = list(call("take back overdue jobs on " + queue, () -> RECOVER_OVERDUE.run(redis,
                    List.of(keys.active(entry.getKey()), keys.pending, keys.deadlines, keys.meta, keys.payload, keys.dead,
                            keys.events, keys.stats, keys.urgent, keys.normal, keys.bulk, keys.groups, keys.groupSettings, keys.parked,
                            keys.progress, keys.done, keys.cancels),
                    args)));
            total = total.plus(new Recovery((int) number(reply.get(0)), (int) number(reply.get(1))));
        }
        return total;
    }

    @Override
    public Recovery release(QueueVersion queue, String workerId) {
        return recoverWorker(queue, workerId, "shutdown", "");
    }

    private Recovery recoverWorker(QueueVersion queue, String workerId, String mode, String error) {
        Keys keys = Keys.of(queue);
        List<Object> reply = list(call("recover jobs of worker " + workerId + " on " + queue, () -> RECOVER_WORKER.run(redis,
                List.of(keys.workers, keys.active(workerId), keys.pending, keys.deadlines, keys.meta, keys.payload,
                        keys.dead, keys.events, keys.stats, keys.urgent, keys.normal, keys.bulk, keys.groups, keys.groupSettings,
                        keys.parked, keys.progress, keys.done, keys.cancels),
                List.of(Long.toString(clock.millis()), workerId, mode, error, Integer.toString(retention.deadMaxCount()),
                        Integer.toString(retention.eventsMaxLength()), queue.label(),
                        Long.toString(EXPIRED_WORKER_LINGER.toMillis())))));
        long returned = number(reply.get(0));
        return returned < 0 ? Recovery.NONE : new Recovery((int) returned, (int) number(reply.get(1)));
    }

    @Override
    public List<CountCorrection> trim(QueueVersion queue) {
        Keys keys = Keys.of(queue);
        List<Object> reply = list(call("trim " + queue, () -> TRIM.run(redis, List.of(keys.meta, keys.payload, keys.done, keys.dead,
                        keys.groups, keys.groupSettings, keys.deadlines, keys.pending, keys.urgent, keys.normal, keys.bulk, keys.parked),
                List.of(Long.toString(clock.millis()), Long.toString(retention.doneMaxAge().toMillis()),
                        Long.toString(retention.deadMaxAge().toMillis())))));
        List<CountCorrection> corrected = new ArrayList<>();
        for (int i = 2; i + 2 < reply.size(); i += 3) {
            corrected.add(new CountCorrection(text(reply.get(i)), number(reply.get(i + 1)), number(reply.get(i + 2))));
        }
        return corrected;
    }

    // ---- inspection and control

    @Override
    public QueueCounts counts(QueueVersion queue) {
        Keys keys = Keys.of(queue);
        List<Object> r = list(call("count jobs of " + queue, () -> COUNTS.run(redis,
                List.of(keys.info, keys.pending, keys.delayed, keys.retry, keys.deadlines, keys.dead, keys.done, keys.stats,
                        keys.workers, keys.meta, keys.urgent, keys.normal, keys.bulk, keys.parked), List.of(Long.toString(clock.millis())))));
        String state = text(r.get(0));
        if (state.isEmpty()) {
            throw new QueueStateException("queue " + queue.name() + " has no version " + queue.version());
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        for (int i = 10; i + 1 < r.size(); i += 2) {
            counters.put(text(r.get(i)), Long.parseLong(text(r.get(i + 1))));
        }
        return new QueueCounts(queue, VersionState.parse(state), "1".equals(text(r.get(1))), number(r.get(2)), number(r.get(3)),
                number(r.get(4)), number(r.get(5)), number(r.get(6)), number(r.get(7)), number(r.get(8)), number(r.get(9)), counters);
    }

    @Override
    public List<String> jobIds(QueueVersion queue, JobState state, int offset, int limit) {
        Keys keys = Keys.of(queue);
        int end = offset + limit - 1;
        return call("list " + state.wireName() + " jobs of " + queue, () -> switch (state) {
            case PENDING -> pendingIds(keys, offset, end);
            case DELAYED -> redis.zrange(keys.delayed, offset, end);
            case RETRY -> redis.zrange(keys.retry, offset, end);
            case ACTIVE -> redis.zrange(keys.deadlines, offset, end);
            case DEAD -> redis.zrevrange(keys.dead, offset, end);
            case DONE, CANCELLED -> redis.zrevrange(keys.done, offset, end); // finished records of both: callers check each record's state
        });
    }

    /** The plain list (oldest first, wake markers left out), then each level's zset by tag, then parked jobs. */
    private List<String> pendingIds(Keys keys, int offset, int end) {
        List<String> ids = new ArrayList<>(redis.lrange(keys.pending, -1L - end, -1L));
        java.util.Collections.reverse(ids);
        ids.removeIf(id -> id.isBlank());
        for (String zset : List.of(keys.urgent, keys.normal, keys.bulk)) {
            if (ids.size() <= end) {
                ids.addAll(redis.zrange(zset, 0, end - ids.size()));
            }
        }
        if (ids.size() <= end) {
            redis.zrange(keys.parked, 0, end - ids.size()).forEach(member -> ids.add(member.substring(member.lastIndexOf('\n') + 1)));
        }
        return ids.size() <= offset ? List.of() : ids.subList(offset, Math.min(ids.size(), end + 1));
    }

    @Override
    public Optional<JobRecord> job(QueueVersion queue, String id) {
        return control.jobs(queue, List.of(id)).stream().findFirst();
    }

    @Override
    public List<JobRecord> jobs(QueueVersion queue, List<String> ids) {
        return control.jobs(queue, ids);
    }

    @Override
    public List<JobActionResult> act(QueueVersion queue, JobAction action, List<String> ids) {
        return control.act(queue, action, ids);
    }

    @Override
    public List<String> cancelsRequested(QueueVersion queue, String workerId) {
        return control.cancelsRequested(queue, workerId);
    }

    @Override
    public void sendWorkerCommand(String workerId, WorkerCommand command, Duration ttl) {
        control.sendWorkerCommand(workerId, command, ttl);
    }

    @Override
    public Optional<WorkerCommand> takeWorkerCommand(String workerId) {
        return control.takeWorkerCommand(workerId);
    }

    @Override
    public List<WorkerLease> workers(QueueVersion queue) {
        Keys keys = Keys.of(queue);
        List<Tuple> tuples = call("list workers of " + queue, () -> redis.zrangeWithScores(keys.workers, 0, -1));
        return tuples.stream().map(t -> new WorkerLease(t.getElement(), (long) t.getScore())).toList();
    }

    @Override
    public int requeueDead(QueueVersion queue, List<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        Keys keys = Keys.of(queue);
        List<String> args = new ArrayList<>(ids.size() + 1);
        args.add(Long.toString(clock.millis()));
        args.addAll(ids);
        Object reply = call("requeue dead letters of " + queue, () -> REQUEUE_DEAD.run(redis,
                List.of(keys.info, keys.dead, keys.meta, keys.pending, keys.stats, keys.urgent, keys.normal, keys.bulk, keys.groups,
                        keys.groupSettings, keys.parked), args));
        if (reply instanceof List<?> refused) {
            throw new QueueStateException("cannot requeue into " + queue + ": the version is " + text(refused.get(1)));
        }
        return (int) number(reply);
    }

    @Override
    public int deleteDead(QueueVersion queue, List<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        Keys keys = Keys.of(queue);
        return (int) number(call("delete dead letters of " + queue,
                () -> DELETE_DEAD.run(redis, List.of(keys.dead, keys.meta, keys.payload), ids)));
    }

    @Override
    public List<DeadLetterEvent> deadLetterEvents(QueueVersion queue, String afterId, int max) {
        Keys keys = Keys.of(queue);
        String start = "0".equals(afterId) || afterId == null ? "-" : "(" + afterId;
        List<StreamEntry> entries = call("read dead-letter events of " + queue, () -> redis.xrange(keys.events, start, "+", max));
        return entries.stream().map(e -> event(queue, e)).toList();
    }

    @Override
    public List<DeadLetterEvent> claimDeadLetterEvents(QueueVersion queue, String group, String consumer, int max) {
        Keys keys = Keys.of(queue);
        return call("read dead-letter events of " + queue + " for " + group, () -> {
            try {
                redis.xgroupCreate(keys.events, group, new StreamEntryID(0, 0), true);
            } catch (JedisDataException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                    throw e;
                }
            }
            List<DeadLetterEvent> events = new ArrayList<>(readGroup(queue, keys, group, consumer, new StreamEntryID(0, 0), max));
            if (events.size() < max) {
                events.addAll(readGroup(queue, keys, group, consumer, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY, max - events.size()));
            }
            return events;
        });
    }

    private List<DeadLetterEvent> readGroup(QueueVersion queue, Keys keys, String group, String consumer, StreamEntryID from, int max) {
        Map<String, List<StreamEntry>> read = redis.xreadGroupAsMap(group, consumer, XReadGroupParams.xReadGroupParams().count(max),
                Map.of(keys.events, from));
        List<StreamEntry> entries = read == null ? List.of() : read.getOrDefault(keys.events, List.of());
        return entries.stream().filter(e -> e.getFields() != null).map(e -> event(queue, e)).toList();
    }

    @Override
    public void acknowledgeDeadLetterEvents(QueueVersion queue, String group, List<String> streamIds) {
        if (streamIds.isEmpty()) {
            return;
        }
        Keys keys = Keys.of(queue);
        call("acknowledge dead-letter events of " + queue, () -> redis.xack(keys.events, group,
                streamIds.stream().map(StreamEntryID::new).toArray(StreamEntryID[]::new)));
    }

    private static DeadLetterEvent event(QueueVersion queue, StreamEntry e) {
        Map<String, String> f = e.getFields();
        // events written before cancels existed carry no type: they are all dead letters
        DeadLetterEvent.Kind kind = "cancelled".equals(f.get("type")) ? DeadLetterEvent.Kind.CANCELLED : DeadLetterEvent.Kind.DEAD;
        String payload = f.get("payload");
        return new DeadLetterEvent(e.getID().toString(), queue, kind, f.get("job"), Integer.parseInt(f.getOrDefault("attempts", "0")),
                f.get("worker"), f.get("reason"), f.get("error"), payload == null || payload.isEmpty() ? Optional.empty() : Optional.of(payload));
    }

    @Override
    public int migrate(QueueVersion from, QueueVersion to, int max) {
        if (from.equals(to) || !from.name().equals(to.name())) {
            throw new IllegalArgumentException("jobs move between versions of one queue, not from " + from + " to " + to);
        }
        Keys source = new Keys(from);
        // first whatever an interrupted migration left in the migrating list, then new ones
        List<String> ids = new ArrayList<>(call("read " + from + " migrating", () -> redis.lrange(source.migrating, 0, max - 1)));
        if (ids.size() < max) {
            Object taken = call("take jobs to migrate from " + from, () -> MIGRATE_TAKE.run(redis,
                    List.of(source.info, source.pending, source.delayed, source.retry, source.migrating, source.urgent, source.normal,
                            source.bulk, source.parked, source.groups), List.of(Integer.toString(max - ids.size()))));
            List<Object> list = list(taken);
            if (!list.isEmpty() && "refused".equals(text(list.get(0))) && list.size() == 2 && !(list.get(1) instanceof Number)) {
                throw new QueueStateException("cannot migrate jobs out of " + from + ": it is " + text(list.get(1)) + "; drain it first");
            }
            list.forEach(id -> ids.add(text(id)));
        }
        if (ids.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        List<NewJob> copies = new ArrayList<>(ids.size());
        List<String> present = new ArrayList<>(ids.size());
        for (String id : ids) {
            Optional<JobRecord> record = job(from, id);
            if (record.isEmpty()) {
                present.add(id); // deleted meanwhile: just forget it
                continue;
            }
            Map<String, Object> r = record.get().record();
            int maxAttempts = ((Number) r.getOrDefault("maxAttempts", NewJob.DEFAULT_MAX_ATTEMPTS)).intValue();
            int used = ((Number) r.getOrDefault("attempts", 0)).intValue();
            long availableAt = ((Number) r.getOrDefault("availableAt", now)).longValue();
            // a record without level and group is a plain job: normal priority, default group
            String group = (String) r.get("group");
            copies.add(new NewJob(record.get().payload() == null ? "{}" : record.get().payload(), id, Math.max(1, maxAttempts - used),
                    Duration.ofMillis(((Number) r.getOrDefault("timeoutMs", NewJob.DEFAULT_TIMEOUT.toMillis())).longValue()),
                    Duration.ofMillis(Math.max(0, availableAt - now)), Priority.parse(String.valueOf(r.getOrDefault("level", "normal"))),
                    group == null || group.isEmpty() ? null : group));
            present.add(id);
        }
        enqueue(to, copies);
        List<String> args = new ArrayList<>(present);
        return (int) number(call("finish migrating from " + from, () -> MIGRATE_DONE.run(redis,
                List.of(source.migrating, source.meta, source.payload, source.stats), args)));
    }

    @Override
    public long obliterate(QueueVersion queue, boolean force) {
        Keys keys = Keys.of(queue);
        List<String> allKeys = new ArrayList<>(keys.fixed());
        workers(queue).forEach(w -> allKeys.add(keys.active(w.workerId())));
        List<Object> reply = list(call("obliterate " + queue, () -> OBLITERATE.run(redis, allKeys, List.of(force ? "1" : "0"))));
        if (!"ok".equals(text(reply.get(0)))) {
            throw new QueueStateException("refusing to obliterate " + queue + ": " + text(reply.get(1)));
        }
        call("forget " + queue, () -> {
            registry.forget(queue);
            return null;
        });
        return number(reply.get(1));
    }

    @Override
    public void close() {
        if (ownsClient) {
            redis.close();
        }
    }

    // ---- groups

    @Override
    public int setGroupSettings(QueueVersion queue, String group, GroupSettings settings) {
        if (group == null) {
            throw new IllegalArgumentException("the default group has weight 1 and no cap; name a group to configure");
        }
        NewJob.requireGroupName(group);
        Keys keys = Keys.of(queue);
        return (int) number(call("set group " + group + " on " + queue, () -> GROUP_SETTINGS.run(redis, with(keys.readyPlaces(), List.of(keys.deadlines, keys.meta)),
                List.of(group, settings.weight() == GroupSettings.DEFAULT_WEIGHT ? "" : Integer.toString(settings.weight()),
                        settings.cap().isEmpty() ? "" : Integer.toString(settings.cap().getAsInt())))));
    }

    @Override
    public List<LevelStatus> levels(QueueVersion queue) {
        Keys keys = Keys.of(queue);
        List<Object> reply = list(call("read priority levels of " + queue, () -> LEVELS.run(redis,
                List.of(keys.pending, keys.urgent, keys.normal, keys.bulk, keys.meta), List.of())));
        List<LevelStatus> out = new ArrayList<>(3);
        for (Priority level : Priority.values()) {
            long since = number(reply.get(level.ordinal() * 2 + 1));
            out.add(new LevelStatus(level, number(reply.get(level.ordinal() * 2)), since < 0 ? OptionalLong.empty() : OptionalLong.of(since)));
        }
        return out;
    }

    @Override
    public List<GroupStatus> groups(QueueVersion queue) {
        Keys keys = Keys.of(queue);
        Map<String, String> configured = call("read group settings of " + queue, () -> redis.hgetAll(keys.groupSettings));
        Map<String, String> state = call("read group state of " + queue, () -> redis.hgetAll(keys.groups));
        // only capped groups keep a running count: every group's is counted from the active jobs
        List<Object> running = list(call("count running jobs by group of " + queue,
                () -> RUNNING_GROUPS.run(redis, List.of(keys.deadlines, keys.meta), List.of())));
        java.util.TreeMap<String, long[]> byGroup = new java.util.TreeMap<>(); // weight, cap (-1 none), running, parked
        java.util.function.Function<String, long[]> entry = g -> byGroup.computeIfAbsent(g, k -> new long[]{GroupSettings.DEFAULT_WEIGHT, -1, 0, 0});
        configured.forEach((field, value) -> {
            if (field.startsWith("weight:")) {
                entry.apply(field.substring(7))[0] = Long.parseLong(value);
            } else if (field.startsWith("cap:")) {
                entry.apply(field.substring(4))[1] = Long.parseLong(value);
            }
        });
        state.forEach((field, value) -> {
            if (field.startsWith("parked:")) {
                entry.apply(field.substring(7))[3] = Long.parseLong(value);
            }
        });
        for (int i = 0; i + 1 < running.size(); i += 2) {
            entry.apply(text(running.get(i)))[2] = number(running.get(i + 1));
        }
        List<GroupStatus> out = new ArrayList<>(byGroup.size());
        byGroup.forEach((group, v) -> out.add(new GroupStatus(group,
                new GroupSettings((int) v[0], v[1] < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((int) v[1])), v[2], v[3])));
        return out;
    }

    private static List<String> with(List<String> first, List<String> more) {
        List<String> all = new ArrayList<>(first.size() + more.size());
        all.addAll(first);
        all.addAll(more);
        return all;
    }

    // ---- plumbing

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (JedisConnectionException e) {
            if (redis instanceof JedisPooled pooled) {
                // after a restart or failover every idle connection is dead: drop them all, not one per failed call
                pooled.getPool().clear();
            }
            throw new QueueUnavailableException("Redis at " + endpoint + " unreachable while trying to " + operation + ": " + e.getMessage(), e);
        } catch (JedisException e) {
            throw new QueueException("Redis at " + endpoint + " refused to " + operation + ": " + e.getMessage(), e);
        }
    }

    static String newJobId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    private static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return String.valueOf(value);
    }

    private static long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        String text = text(value);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return (long) Double.parseDouble(text);
        }
    }
}
