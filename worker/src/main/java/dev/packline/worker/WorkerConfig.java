package dev.packline.worker;

import dev.packline.pipeline.artifact.ArtifactKind;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.WorkerTimings;
import dev.packline.settings.LogFormat;
import dev.packline.settings.Settings;
import dev.packline.notify.ChannelSpec;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * The worker's whole configuration, read once from YAML (config/worker.yml is the commented
 * example) with PACKLINE_* environment overrides, and validated at start: every problem, unknown
 * keys included, is reported in one error.
 */
public record WorkerConfig(String redisUrl, List<QueueConfig> queues, long maxJobsPerWorker, WorkerTimings timings,
                           int metricsPort, String metricsBind, LogFormat logFormat, Alarms alarms, Supervision supervision,
                           Pipeline pipeline, Map<String, ChannelSpec> notifications, Upload upload, Duration versionCheckInterval,
                           Cleanup cleanup) {


    /**
     * One queue the worker consumes: the versions it serves (empty = every version not retired: the
     * current one and those still draining, followed as admins add versions), how many jobs at once, retry backoff,
     * and, for mixed mode, which handler version serves which queue versions (empty = the one handler serves all;
     * otherwise a version no handler is given is never taken by this worker; queue-core's upgrade.HandlerVersions).
     */
    public record QueueConfig(String name, List<Integer> versions, int concurrency, Backoff backoff, Map<String, java.util.Set<Integer>> handlers) {
        public List<QueueVersion> queueVersions() {
            return versions.stream().map(v -> QueueVersion.of(name, v)).toList();
        }
    }

    /** Thresholds of the platform's own alarms; grafana/ alert rules use the same numbers. */
    public record Alarms(long backlogPending, Duration backlogOldestAge, Duration checkInterval, Duration cooldown,
                         Duration deadLetterDigestWindow) {
    }

    /**
     * What the stages need: where mothers come from and are cached, where outputs go, the work
     * directory, the limits shared by disk-heavy and network-heavy work, and the attempts and hard
     * timeout of the jobs one stage enqueues for the next.
     */
    public record Pipeline(Path workDir, Path motherCacheDir, long motherCacheMaxBytes, List<Path> allowedRoots,
                           List<String> allowedHosts, Map<String, StoreConfig> stores, int diskConcurrency, int networkConcurrency,
                           int jobMaxAttempts, Duration jobTimeout, Duration requestRetention, Set<PatchFormat> apkPatchFormats) {
    }

    /**
     * Uploads: whether channel APKs are built server-side from the staged mother (part copy of its
     * prefix plus the tail), and how often the janitor aborts multipart uploads idle for {@code janitorMaxIdle}.
     */
    public record Upload(boolean zeroCopy, Duration janitorInterval, Duration janitorMaxIdle) {
    }

    /**
     * The automatic clean-up of drained queue versions: removed {@code grace} after they retired,
     * once their dead letters are handled (queue-core's {@code VersionCleaner}), checked every {@code interval}.
     */
    public record Cleanup(Duration grace, Duration interval) {
    }

    /** How the supervisor treats its worker processes. */
    public record Supervision(int processes, Duration restartBackoffInitial, Duration restartBackoffMax, int crashLoopCrashes,
                              Duration crashLoopWindow) {
    }

    /**
     * Reads the worker's file and, when it names one ({@code pipeline.shared}), the shared pipeline
     * file the API reads too (config/pipeline.yml): where mothers may come from, the stores, the
     * notification channels and how stage jobs run are then read from there, and only there.
     */
    public static WorkerConfig load(Path file, Map<String, String> env) {
        Settings own = Settings.load(file, env);
        String shared = own.string("pipeline.shared", null);
        return shared == null ? read(own) : read(own, Settings.load(Settings.beside(file, shared), env));
    }

    /** A configuration in one document, the shared sections included (tests, one-file deployments). */
    public static WorkerConfig read(Settings s) {
        return read(s, s);
    }

    /**
     * @param s      the worker's own settings
     * @param shared the sections the API reads too: mothers.allowedRoots and allowedHosts, stores, notifications,
     *               pipeline.jobMaxAttempts, jobTimeout and requestRetention (the same document as {@code s} in one-file setups)
     */
    public static WorkerConfig read(Settings s, Settings shared) {
        String redisUrl = s.string("redis.url", null);
        if (redisUrl == null || redisUrl.isBlank()) {
            s.problem("redis.url: required (or set PACKLINE_REDIS_URL), e.g. redis://127.0.0.1:6379");
        }
        List<QueueConfig> queues = new ArrayList<>();
        for (String name : s.keys("queues")) {
            String base = "queues." + name;
            try {
                QueueVersion.requireValidName(name);
            } catch (IllegalArgumentException e) {
                s.problem(base + ": " + e.getMessage());
                continue;
            }
            List<Integer> versions = new ArrayList<>();
            for (String v : s.strings(base + ".versions")) {
                try {
                    int n = Integer.parseInt(v.trim());
                    if (n < 1) {
                        throw new NumberFormatException();
                    }
                    versions.add(n);
                } catch (NumberFormatException e) {
                    s.problem(base + ".versions: '" + v + "' is not a version number (1 or more)");
                }
            }
            int concurrency = s.integer(base + ".concurrency", 4, 1, 10_000);
            Duration initial = s.duration(base + ".retry.initial", Backoff.DEFAULT.initial());
            Duration max = s.duration(base + ".retry.max", Backoff.DEFAULT.max());
            if (max.compareTo(initial) < 0) {
                s.problem(base + ".retry.max (" + max + ") must not be below retry.initial (" + initial + ")");
                max = initial;
            }
            Map<String, java.util.Set<Integer>> handlers = new java.util.LinkedHashMap<>();
            for (String handler : s.keys(base + ".handlers")) {
                java.util.Set<Integer> served = new java.util.TreeSet<>();
                for (String v : s.strings(base + ".handlers." + handler)) {
                    try {
                        served.add(Integer.parseInt(v.trim()));
                    } catch (NumberFormatException e) {
                        s.problem(base + ".handlers." + handler + ": '" + v + "' is not a version number");
                    }
                }
                handlers.put(handler, served);
            }
            queues.add(new QueueConfig(name, versions, concurrency, new Backoff(initial, 2.0, max, 0.2), Map.copyOf(handlers)));
        }
        if (queues.isEmpty()) {
            s.problem("queues: name at least one queue the worker consumes, e.g. queues: {package: {concurrency: 4}}");
        }

        long maxJobs = s.integer("worker.maxJobsPerWorker", 0, 0, Integer.MAX_VALUE);
        WorkerTimings d = WorkerTimings.DEFAULT;
        Duration heartbeat = s.duration("worker.heartbeatInterval", d.heartbeatInterval());
        Duration lease = s.duration("worker.lease", d.lease());
        Duration recover = s.duration("worker.recoverInterval", d.recoverInterval());
        Duration overdue = s.duration("worker.overdueGrace", d.overdueGrace());
        Duration stall = s.duration("worker.stallAfter", d.stallAfter());
        Duration shutdown = s.duration("worker.shutdownTimeout", Duration.ofSeconds(20));
        if (shutdown.compareTo(Duration.ofSeconds(28)) > 0) {
            s.problem("worker.shutdownTimeout (" + shutdown + ") must stay under 28s: orchestrators kill after a 30 s grace period, and jobs must be handed back before that");
        }
        Duration versionCheck = s.duration("worker.versionCheckInterval", Duration.ofSeconds(10));
        if (versionCheck.compareTo(Duration.ofMillis(100)) < 0) {
            s.problem("worker.versionCheckInterval (" + versionCheck + ") must be at least 100ms");
        }
        WorkerTimings timings = null;
        try {
            timings = new WorkerTimings(heartbeat, lease, recover, overdue, d.janitorInterval(), d.maxBlock(), stall, shutdown,
                    d.pausedPoll(), d.fetchErrorBackoff(), d.fetchErrorBackoffMax());
        } catch (IllegalArgumentException e) {
            s.problem("worker: " + e.getMessage());
        }

        int metricsPort = s.integer("metrics.port", 9400, 0, 65_535);
        String metricsBind = s.string("metrics.bind", "127.0.0.1");
        LogFormat format = LogFormat.read(s);

        Alarms alarms = new Alarms(s.integer("alarms.backlog.pending", 10_000, 1, Integer.MAX_VALUE),
                s.duration("alarms.backlog.oldestPendingAge", Duration.ofMinutes(10)),
                s.duration("alarms.checkInterval", Duration.ofSeconds(30)),
                s.duration("alarms.cooldown", Duration.ofMinutes(15)),
                s.duration("alarms.deadLetters.digestWindow", Duration.ofSeconds(30)));

        Supervision supervision = new Supervision(s.integer("supervisor.processes", 2, 1, 64),
                s.duration("supervisor.restartBackoff.initial", Duration.ofSeconds(1)),
                s.duration("supervisor.restartBackoff.max", Duration.ofMinutes(1)),
                s.integer("supervisor.crashLoop.crashes", 5, 2, 1_000),
                s.duration("supervisor.crashLoop.window", Duration.ofMinutes(2)));
        if (supervision.restartBackoffMax().compareTo(supervision.restartBackoffInitial()) < 0) {
            s.problem("supervisor.restartBackoff.max must not be below supervisor.restartBackoff.initial");
        }
        Map<String, StoreConfig> stores = new java.util.LinkedHashMap<>();
        for (String name : shared.keys("stores")) {
            StoreConfig store = store(shared, name);
            if (store != null) {
                stores.put(name, store);
            }
        }
        Upload upload = new Upload(s.bool("upload.zeroCopy", true), s.duration("upload.janitor.interval", Duration.ofMinutes(10)),
                s.duration("upload.janitor.maxIdle", Duration.ofHours(24)));
        Pipeline pipeline = new Pipeline(Path.of(s.string("pipeline.workDir", "var/work")),
                Path.of(s.string("mothers.cacheDir", "var/mothers")), s.bytes("mothers.cacheMaxBytes", 20L << 30),
                shared.strings("mothers.allowedRoots").stream().map(Path::of).toList(), shared.strings("mothers.allowedHosts"), stores,
                s.integer("limits.diskConcurrency", 4, 1, 1_000), s.integer("limits.networkConcurrency", 16, 1, 10_000),
                shared.integer("pipeline.jobMaxAttempts", 5, 1, 100), shared.duration("pipeline.jobTimeout", Duration.ofMinutes(30)),
                shared.duration("pipeline.requestRetention", Duration.ofDays(7)), apkPatchFormats(s));
        Map<String, ChannelSpec> notifications = ChannelSpec.read(shared);
        Cleanup cleanup = new Cleanup(s.duration("cleanup.grace", Duration.ofDays(7)), s.duration("cleanup.interval", Duration.ofMinutes(10)));
        if (cleanup.interval().compareTo(Duration.ofSeconds(1)) < 0) {
            s.problem("cleanup.interval (" + cleanup.interval() + ") must be at least 1s");
        }
        if (shared != s) {
            for (String section : List.of("stores", "notifications")) {
                if (s.has(section)) {
                    s.problem(section + ": belongs in the shared pipeline file " + shared.source() + " (the API reads it too), not here");
                }
            }
            shared.finish(); // the shared file is the workers' as much as the API's: every key in it must mean something
        }
        s.finish(); // a shared section left here too is an unknown key: it would be a second, silently ignored truth
        return new WorkerConfig(redisUrl, List.copyOf(queues), maxJobs, timings, metricsPort, metricsBind, format, alarms, supervision, pipeline,
                notifications, upload, versionCheck, cleanup);
    }

    /**
     * {@code pipeline.apkPatchFormats}: what the diff stage makes for a mother pair. bsdiff is always
     * made (old clients and the fallback); zip-aware is made too unless left out.
     */
    private static Set<PatchFormat> apkPatchFormats(Settings s) {
        List<String> names = s.has("pipeline.apkPatchFormats") ? s.strings("pipeline.apkPatchFormats") : List.of("bsdiff", "zip-aware");
        Set<PatchFormat> formats = EnumSet.noneOf(PatchFormat.class);
        for (String name : names) {
            PatchFormat.byWireName(name).filter(f -> f.kind() == ArtifactKind.APK).ifPresentOrElse(formats::add,
                    () -> s.problem("pipeline.apkPatchFormats: bsdiff and zip-aware are the APK patch formats, got '" + name + "'"));
        }
        if (!formats.contains(PatchFormat.BSDIFF)) {
            s.problem("pipeline.apkPatchFormats: must list bsdiff (old clients and the fallback)");
        }
        return formats;
    }

    /** One store under {@code stores:}: local (a directory) or oss / ks3 (a bucket, credentials by reference). */
    private static StoreConfig store(Settings s, String name) {
        String base = "stores." + name;
        String kind = s.string(base + ".kind", "local");
        if (kind.equals("local")) {
            String path = s.string(base + ".path", null);
            if (path == null) {
                s.problem(base + ".path: required for a local store");
                return null;
            }
            return new StoreConfig(name, kind, Path.of(path), null, null, null, null, null, false, 0, 0, 0, 0, null, null, 0,
                    s.string(base + ".publicBaseUrl", null)); // a web server serving the directory: objects' http(s) URLs
        }
        if (!kind.equals("oss") && !kind.equals("ks3")) {
            s.problem(base + ".kind: expected local, oss or ks3, got '" + kind + "'");
            return null;
        }
        String endpoint = s.string(base + ".endpoint", null);
        URI uri = null;
        if (endpoint == null) {
            s.problem(base + ".endpoint: required, e.g. https://oss-cn-hangzhou.aliyuncs.com or https://ks3-cn-beijing.ksyuncs.com");
        } else {
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                s.problem(base + ".endpoint: not a URL: " + endpoint);
            }
        }
        String idRef = s.string(base + ".accessKeyId", null);
        String secretRef = s.string(base + ".accessKeySecret", null);
        for (var ref : List.of(Map.entry("accessKeyId", String.valueOf(idRef)), Map.entry("accessKeySecret", String.valueOf(secretRef)))) {
            if (!StoreConfig.validReference(ref.getValue())) {
                // never echo the value: it may be a key someone pasted in
                s.problem(base + "." + ref.getKey() + ": must be env:VARIABLE or file:/path/to/file (credentials never go in the config file)");
            }
        }
        StoreConfig store = new StoreConfig(name, kind, null, uri, s.string(base + ".bucket", null), s.string(base + ".prefix", ""), idRef, secretRef,
                s.bool(base + ".pathStyle", false), s.bytes(base + ".partSize", 16L << 20), s.bytes(base + ".multipartThreshold", 32L << 20),
                s.bytes(base + ".copyPartSize", 1L << 30), s.integer(base + ".concurrency", 8, 1, 256),
                s.duration(base + ".requestTimeout", Duration.ofSeconds(60)), s.duration(base + ".connectTimeout", Duration.ofSeconds(10)),
                s.integer(base + ".maxAttempts", 5, 1, 20), s.string(base + ".publicBaseUrl", null));
        if (uri != null && StoreConfig.validReference(idRef) && StoreConfig.validReference(secretRef)) {
            // check everything but the credentials now, so a bad part size fails at start, not at the first upload
            var probe = new dev.packline.storage.CloudStoreSettings(name, dev.packline.storage.CloudStoreSettings.Kind.parse(kind), uri,
                    store.bucket(), store.prefix(), new dev.packline.storage.CloudStoreSettings.Credentials("checked", "later"), store.pathStyle(),
                    store.partSize(), store.multipartThreshold(), store.copyPartSize(), store.concurrency(), store.requestTimeout(),
                    store.connectTimeout(), store.maxAttempts(), store.publicBaseUrl());
            probe.problems().forEach(problem -> s.problem("stores." + problem.replaceFirst("^store ", "")));
        }
        return store;
    }

    public WorkerConfig withRedisUrl(String url) {
        return new WorkerConfig(url, queues, maxJobsPerWorker, timings, metricsPort, metricsBind, logFormat, alarms, supervision, pipeline, notifications, upload,
                versionCheckInterval, cleanup);
    }

    public WorkerConfig withMetricsPort(int port) {
        return new WorkerConfig(redisUrl, queues, maxJobsPerWorker, timings, port, metricsBind, logFormat, alarms, supervision, pipeline, notifications, upload,
                versionCheckInterval, cleanup);
    }
}
