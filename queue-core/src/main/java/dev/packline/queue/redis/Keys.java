package dev.packline.queue.redis;

import dev.packline.queue.QueueVersion;

import java.util.List;

/**
 * Every Redis key of the queue comes from here. All keys of one queue version share the hash tag
 * {@code {name:version}}, so every script works on Redis Cluster: it touches one slot only.
 *
 * <pre>
 * pl:queues                      set    queue names
 * pl:{name}:registry             hash   current, latest, v:N -> created ms, rolledBackFrom, rolledBackAt
 * pl:workers                     zset   worker id -> last heartbeat ms (entries older than an hour dropped)
 * pl:worker:{id}                 string JSON about a live worker (expires)
 * pl:worker-control:{id}         string what an admin asked a worker to do (recycle, stop); taken at its heartbeat
 * pl:{name:v}:info               hash   state, paused, createdAt, drainingSince, retiredAt, reactivatedAt, keep
 * pl:{name:v}:pending            list   ready jobs of the default group at normal priority (LPUSH in, taken from the right)
 * pl:{name:v}:ready:LEVEL        zset   ready jobs of level urgent, normal or bulk -> fair tag (fair_queue.lua)
 * pl:{name:v}:parked             zset   jobs of groups at their cap, by lex: GROUP \n LEVEL \n TAG \n ID
 * pl:{name:v}:groups             hash   fair queueing state: vt:LEVEL, f:LEVEL:GROUP, run:GROUP, parked:GROUP, turn,
 *                                      trim-cursor (trim.lua's pass over the f: fields)
 * pl:{name:v}:group-settings     hash   weight:GROUP, cap:GROUP
 * pl:{name:v}:progress           hash   id -> JSON progress of the running delivery
 * pl:{name:v}:delayed            zset   id -> due ms
 * pl:{name:v}:retry              zset   id -> due ms
 * pl:{name:v}:deadlines          zset   id -> hard deadline ms, for every active job
 * pl:{name:v}:active:{worker}    list   the jobs one worker holds (the crash backup)
 * pl:{name:v}:workers            zset   worker id -> lease expiry ms
 * pl:{name:v}:meta               hash   id -> JSON record (attempts, state, errors...)
 * pl:{name:v}:payload            hash   id -> payload
 * pl:{name:v}:cancels            hash   id -> cancel requested ms, for running jobs an admin cancelled
 * pl:{name:v}:done               zset   id -> finish ms of done and cancelled jobs (bounded)
 * pl:{name:v}:dead               zset   id -> dead ms (bounded)
 * pl:{name:v}:events             stream dead-letter and cancel events (capped)
 * pl:{name:v}:stats              hash   running counters, completions per minute
 * pl:{name:v}:migrating          list   jobs being moved to another version by an admin
 * pl:{schedules}:defs            hash   schedule name -> JSON definition (schedule.ScheduleStore)
 * pl:{schedules}:due             zset   schedule name -> next tick ms (absent while paused)
 * pl:cleanup                     hash   graceMs, updatedAt: the grace period the workers' version clean-up uses
 * pl:{name}:routes               hash   rule id -> JSON routing rule, plus serial (bumped by every change)
 * pl:{name}:shadows              hash   from:N -> JSON shadow run copying N's jobs to another version
 * pl:{name}:shadow:N:M           hash   a shadow run's counters and the half-compared results by job
 * pl:{name}:shadow-examples:N:M  list   its latest mismatches and failures, JSON with both results
 * </pre>
 */
public final class Keys {
    public static final String PREFIX = "pl:";
    public static final String QUEUES = PREFIX + "queues";
    public static final String WORKERS = PREFIX + "workers";
    /** The grace period the workers' automatic clean-up of drained versions uses, for admins to see (upgrade.VersionCleaner). */
    public static final String CLEANUP = PREFIX + "cleanup";

    /**
     * Schedules' definitions and next ticks (one hash tag, so each schedule change is one script on
     * Redis Cluster); {@code space} is empty in production, a unique name in tests sharing a Redis.
     */
    public static String schedules(String space) {
        return PREFIX + "{schedules" + (space.isEmpty() ? "" : ":" + space) + "}:defs";
    }

    public static String schedulesDue(String space) {
        return PREFIX + "{schedules" + (space.isEmpty() ? "" : ":" + space) + "}:due";
    }

    private final String base;
    public final String info;
    public final String pending;
    public final String delayed;
    public final String retry;
    public final String deadlines;
    public final String workers;
    public final String meta;
    public final String payload;
    public final String done;
    public final String dead;
    public final String events;
    public final String stats;
    public final String migrating;
    public final String urgent;
    public final String normal;
    public final String bulk;
    public final String parked;
    public final String groups;
    public final String groupSettings;
    public final String progress;
    public final String cancels;

    public Keys(QueueVersion queue) {
        this.base = PREFIX + "{" + queue.name() + ":" + queue.version() + "}:";
        this.info = base + "info";
        this.pending = base + "pending";
        this.delayed = base + "delayed";
        this.retry = base + "retry";
        this.deadlines = base + "deadlines";
        this.workers = base + "workers";
        this.meta = base + "meta";
        this.payload = base + "payload";
        this.done = base + "done";
        this.dead = base + "dead";
        this.events = base + "events";
        this.stats = base + "stats";
        this.migrating = base + "migrating";
        this.urgent = base + "ready:urgent";
        this.normal = base + "ready:normal";
        this.bulk = base + "ready:bulk";
        this.parked = base + "parked";
        this.groups = base + "groups";
        this.groupSettings = base + "group-settings";
        this.progress = base + "progress";
        this.cancels = base + "cancels";
    }

    public String active(String workerId) {
        return forWorker(workerId).active;
    }

    /**
     * The keys one worker's fetch and ack scripts take, in their KEYS order, built once: a worker asks
     * for the same lists on every call of its hot path (one entry kept: a process runs one worker).
     */
    public WorkerKeys forWorker(String workerId) {
        WorkerKeys last = lastWorker;
        if (last != null && last.workerId.equals(workerId)) {
            return last;
        }
        WorkerKeys made = new WorkerKeys(this, workerId);
        lastWorker = made;
        return made;
    }

    private volatile WorkerKeys lastWorker;

    /** See {@link #forWorker}. */
    public static final class WorkerKeys {
        final String workerId;
        public final String active;
        /** fetch.lua's KEYS */
        public final List<String> fetch;
        /** complete.lua's KEYS */
        public final List<String> complete;

        private WorkerKeys(Keys k, String workerId) {
            this.workerId = workerId;
            this.active = k.base + "active:" + workerId;
            this.fetch = List.of(k.info, k.pending, active, k.delayed, k.retry, k.deadlines, k.meta, k.payload, k.workers,
                    k.urgent, k.normal, k.bulk, k.groups, k.groupSettings, k.parked);
            List<String> complete = new java.util.ArrayList<>(List.of(active, k.deadlines, k.meta, k.payload, k.done, k.stats));
            complete.addAll(k.readyPlaces());
            complete.add(k.progress);
            this.complete = List.copyOf(complete);
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<QueueVersion, Keys> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 1024;

    /**
     * The keys of a version, built once per version and process (about twenty strings, which every
     * fetch and ack built again before). The cache forgets everything past {@value #CACHE_LIMIT}
     * versions: an admin process walking through many versions keeps no more than that.
     */
    public static Keys of(QueueVersion queue) {
        Keys keys = CACHE.get(queue);
        if (keys == null) {
            if (CACHE.size() >= CACHE_LIMIT) {
                CACHE.clear();
            }
            keys = CACHE.computeIfAbsent(queue, Keys::new);
        }
        return keys;
    }

    /** The keys of the version that exist whatever workers there are (used by obliterate). */
    public List<String> fixed() {
        return List.of(info, pending, delayed, retry, deadlines, meta, payload, done, dead, events, stats, workers, migrating,
                urgent, normal, bulk, parked, groups, groupSettings, progress, cancels);
    }

    /**
     * Where ready jobs wait, in the order fair_queue.lua's scripts take them: pending, the three
     * level zsets, groups, group settings, parked.
     */
    public List<String> readyPlaces() {
        return List.of(pending, urgent, normal, bulk, groups, groupSettings, parked);
    }

    public static String registry(String queueName) {
        return PREFIX + "{" + queueName + "}:registry";
    }

    /** A queue's routing rules (upgrade.RouteStore); in the registry's slot. */
    public static String routes(String queueName) {
        return PREFIX + "{" + queueName + "}:routes";
    }

    /** A queue's shadow runs (upgrade.ShadowStore); in the registry's slot. */
    public static String shadows(String queueName) {
        return PREFIX + "{" + queueName + "}:shadows";
    }

    /** One shadow run's counters and results waiting for their other side; in the registry's slot. */
    public static String shadowResults(String queueName, int from, int to) {
        return PREFIX + "{" + queueName + "}:shadow:" + from + ":" + to;
    }

    /** One shadow run's latest mismatches and failures; in the registry's slot. */
    public static String shadowExamples(String queueName, int from, int to) {
        return PREFIX + "{" + queueName + "}:shadow-examples:" + from + ":" + to;
    }

    public static String workerInfo(String workerId) {
        return PREFIX + "worker:" + workerId;
    }

    /** What an admin asked a worker to do; the worker takes (reads and deletes) it at its heartbeat. */
    public static String workerControl(String workerId) {
        return PREFIX + "worker-control:" + workerId;
    }

    public static String workerInfoPattern() {
        return PREFIX + "worker:*";
    }
}
