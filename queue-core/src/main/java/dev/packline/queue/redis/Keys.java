package dev.packline.queue.redis;

import dev.packline.queue.QueueVersion;

import java.util.List;

/**
 * Every Redis key of the queue comes from here. All keys of one queue version share the hash tag
 * {@code {name:version}}, so every script works on Redis Cluster: it touches one slot only.
 *
 * <pre>
 * pl:queues                      set    queue names
 * pl:{name}:registry             hash   current, latest, v:N -> created ms
 * pl:workers                     zset   worker id -> last heartbeat ms (entries older than an hour dropped)
 * pl:worker:{id}                 string JSON about a live worker (expires)
 * pl:{name:v}:info               hash   state, paused, createdAt, drainingSince, retiredAt
 * pl:{name:v}:pending            list   ready job ids (LPUSH in, taken from the right)
 * pl:{name:v}:delayed            zset   id -> due ms
 * pl:{name:v}:retry              zset   id -> due ms
 * pl:{name:v}:deadlines          zset   id -> hard deadline ms, for every active job
 * pl:{name:v}:active:{worker}    list   the jobs one worker holds (the crash backup)
 * pl:{name:v}:workers            zset   worker id -> lease expiry ms
 * pl:{name:v}:meta               hash   id -> JSON record (attempts, state, errors...)
 * pl:{name:v}:payload            hash   id -> payload
 * pl:{name:v}:done               zset   id -> finish ms (bounded)
 * pl:{name:v}:dead               zset   id -> dead ms (bounded)
 * pl:{name:v}:events             stream dead-letter events (capped)
 * pl:{name:v}:stats              hash   running counters, completions per minute
 * pl:{name:v}:migrating          list   jobs being moved to another version by an admin
 * </pre>
 */
public final class Keys {
    public static final String PREFIX = "pl:";
    public static final String QUEUES = PREFIX + "queues";
    public static final String WORKERS = PREFIX + "workers";

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
    }

    public String active(String workerId) {
        return base + "active:" + workerId;
    }

    /** The keys of the version that exist whatever workers there are (used by obliterate). */
    public List<String> fixed() {
        return List.of(info, pending, delayed, retry, deadlines, meta, payload, done, dead, events, stats, workers, migrating);
    }

    public static String registry(String queueName) {
        return PREFIX + "{" + queueName + "}:registry";
    }

    public static String workerInfo(String workerId) {
        return PREFIX + "worker:" + workerId;
    }

    public static String workerInfoPattern() {
        return PREFIX + "worker:*";
    }
}
