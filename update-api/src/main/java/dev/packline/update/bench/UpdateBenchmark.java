package dev.packline.update.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.settings.Settings;
import dev.packline.update.UpdateConfig;
import dev.packline.update.UpdateServer;
import redis.clients.jedis.UnifiedJedis;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/packline bench update}: check throughput and latency of the update API against a
 * realistic catalogue (see {@link BenchCatalogue}) on an embedded Redis, side by side with the same
 * server stack answering a constant JSON document ({@link CeilingServer}), both driven the same way
 * by wrk ({@link WrkLoad}, closed loop, on loopback); then the time from a rollout change until three
 * running instances all answer with it. Prints one JSON line with every figure and, under
 * {@code goals}, each of issue 17's goals beside the figure it judges ({@link Goal}).
 */
public final class UpdateBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Options(int apps, int releasesPerApp, int connections, Duration duration, Duration warmup, int propagationRounds, boolean pin) {
    }

    /** Distinct simulated clients' check paths wrk draws from. */
    private static final int CHECK_PATHS = 50_000;

    private UpdateBenchmark() {
    }

    static String usage() {
        return """
                Usage: bin/packline bench update [--apps N] [--releases N] [--connections N] [--seconds N] [--warmup N] [--rounds N]
                  --apps N         apps in the catalogue (default 1000)
                  --releases N     releases per app (default 20; every 10th app's newest has a 10,000-id whitelist)
                  --connections N  concurrent simulated clients, wrk connections (default 256)
                  --seconds N      measured seconds per side (default 15)
                  --warmup N       seconds of an uncounted run of each side before either is measured (default 5)
                  --rounds N       rollout changes timed across three instances (default 100)
                  --pin            the server's threads on the first half of the cores, wrk on the other half (taskset),
                                   so the load generator does not preempt the server: what the latency is when the
                                   load comes from elsewhere (needs 2 cores or more)
                Load: wrk (Debian package, installed by bin/packline when missing).
                Prints one JSON line: checksPerSec, ceilingPerSec, ratio, p50Ms, p90Ms, p99Ms, maxMs, ceilingP99Ms,
                errors, checkCpuUs and ceilingCpuUs (this JVM's CPU time per call, wrk excluded) and cpuRatio (ceiling's
                over the check's: what ratio approaches when the server, not the load, is short of CPU),
                checkAllocBytes and ceilingAllocBytes (heap allocated per call), heapMb,
                propagationP99Ms, and goals: each goal of issue 17 with its figure and outcome
                (met, not met, or not judged when the run's load or catalogue is not the goal's).""";
    }

    static Options parse(String[] args) {
        int apps = 1000;
        int releases = 20;
        int connections = 256;
        int seconds = 15;
        int warmup = 5;
        int rounds = 100;
        boolean pin = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return null;
            }
            if (option.equals("--pin")) {
                pin = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " lacks its value");
            }
            int n = Integer.parseInt(args[++i]);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be positive");
            }
            switch (option) {
                case "--apps" -> apps = n;
                case "--releases" -> releases = n;
                case "--connections" -> connections = n;
                case "--seconds" -> seconds = n;
                case "--warmup" -> warmup = n;
                case "--rounds" -> rounds = n;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new Options(apps, releases, connections, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup), rounds, pin);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench update: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(usage());
            return;
        }
        System.out.println(JSON.writeValueAsString(run(options)));
        System.exit(0);
    }

    static ObjectNode run(Options o) throws Exception {
        Path work = Files.createTempDirectory("packline-bench-update");
        try (EmbeddedRedis redisServer = EmbeddedRedis.start(); UnifiedJedis redis = RedisConnector.open(redisServer.url(), 8)) {
            RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
            System.err.println("bench update: writing " + o.apps() + " apps x " + o.releasesPerApp() + " releases...");
            BenchCatalogue catalogue = BenchCatalogue.write(store, o.apps(), o.releasesPerApp());
            WrkLoad load = WrkLoad.prepare(catalogue, CHECK_PATHS, work);
            String pinned = o.pin() ? load.pin() : null;
            long baseline = usedHeapAfterGc();
            UpdateConfig config = UpdateConfig.read(Settings.parse("bench", """
                    redis: {url: "%s"}
                    server: {port: 0}
                    logging: {format: console}
                    """.formatted(redisServer.url()), Map.of()));
            List<UpdateServer> instances = new ArrayList<>();
            try {
                instances.add(UpdateServer.start(config));
                long heapMb = (usedHeapAfterGc() - baseline) / (1024 * 1024);
                WrkLoad.Result checks;
                WrkLoad.Result constant;
                double checkCpuUs;
                double ceilingCpuUs;
                long checkAllocatedBytes;
                long ceilingAllocatedBytes;
                try (CeilingServer ceiling = CeilingServer.start(config)) {
                    System.err.println("bench update: wrk on the check route and on the constant-JSON ceiling, " + o.connections() + " connections...");
                    // an uncounted run of each side first, so neither is measured while the JIT still compiles the shared stack
                    load.drive(instances.get(0).port(), o.connections(), o.warmup());
                    load.drive(ceiling.port(), o.connections(), o.warmup());
                    long cpuBefore = processCpuNanos();
                    long allocatedBefore = allocatedBytes();
                    constant = load.drive(ceiling.port(), o.connections(), o.duration());
                    long cpuBetween = processCpuNanos();
                    long allocatedBetween = allocatedBytes();
                    checks = load.drive(instances.get(0).port(), o.connections(), o.duration());
                    long ceilingCalls = Math.max(1, constant.checks() + constant.errors());
                    long checkCalls = Math.max(1, checks.checks() + checks.errors());
                    ceilingCpuUs = (cpuBetween - cpuBefore) / 1000.0 / ceilingCalls;
                    checkCpuUs = (processCpuNanos() - cpuBetween) / 1000.0 / checkCalls;
                    ceilingAllocatedBytes = (allocatedBetween - allocatedBefore) / ceilingCalls;
                    checkAllocatedBytes = (allocatedBytes() - allocatedBetween) / checkCalls;
                }
                instances.add(UpdateServer.start(config));
                instances.add(UpdateServer.start(config));
                System.err.println("bench update: timing " + o.propagationRounds() + " rollout changes across three instances...");
                double propagationP99 = propagation(store, catalogue, instances, o.propagationRounds());
                ObjectNode line = JSON.createObjectNode();
                line.put("apps", o.apps());
                line.put("releases", o.apps() * o.releasesPerApp());
                line.put("connections", o.connections());
                line.put("seconds", o.duration().toSeconds());
                if (pinned != null) {
                    line.put("pinned", pinned);
                }
                line.put("checksPerSec", Math.round(checks.perSecond()));
                line.put("ceilingPerSec", Math.round(constant.perSecond()));
                // three decimals: a ratio of 0.799 must not be judged as meeting 0.8
                line.put("ratio", Math.round(checks.perSecond() / constant.perSecond() * 1000) / 1000.0);
                line.put("p50Ms", checks.p50Ms());
                line.put("p90Ms", checks.p90Ms());
                line.put("p99Ms", checks.p99Ms());
                line.put("maxMs", checks.maxMs());
                line.put("ceilingP99Ms", constant.p99Ms());
                line.put("errors", checks.errors() + constant.errors());
                // this JVM's CPU time per answered call (wrk excluded): unlike the rates, it barely moves when
                // other processes share the cores, so runs on a busy machine can still be compared
                line.put("checkCpuUs", Math.round(checkCpuUs * 10) / 10.0);
                line.put("ceilingCpuUs", Math.round(ceilingCpuUs * 10) / 10.0);
                line.put("cpuRatio", Math.round(ceilingCpuUs / checkCpuUs * 1000) / 1000.0);
                // heap bytes allocated per call (what drives young collections, hence pauses in the tail)
                line.put("checkAllocBytes", checkAllocatedBytes);
                line.put("ceilingAllocBytes", ceilingAllocatedBytes);
                line.put("heapMb", heapMb);
                line.put("propagationP99Ms", propagationP99);
                line.set("goals", goals(line));
                return line;
            } finally {
                instances.forEach(UpdateServer::close);
            }
        } finally {
            try (Stream<Path> files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(work);
        }
    }

    /** Each goal beside the figure it judges, also printed as a table on standard error. */
    static ObjectNode goals(ObjectNode run) {
        ObjectNode goals = JSON.createObjectNode();
        for (Goal g : Goal.values()) {
            Goal.Outcome outcome = g.judge(run);
            ObjectNode one = goals.putObject(g.figure);
            one.set("measured", run.get(g.figure));
            one.put("goal", g.goal);
            one.put("outcome", outcome.label());
            System.err.printf("bench update: %-17s %-10s goal %-50s %s%n", g.figure, run.get(g.figure).asText(), g.goal, outcome.label());
        }
        return goals;
    }

    /** Per round: whitelist a new client on one release, then time until all three instances offer it that release. */
    private static double propagation(RedisReleaseStore store, BenchCatalogue catalogue, List<UpdateServer> instances, int rounds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Release target = catalogue.probe();
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String client = "probe-" + round;
            List<String> ids = new ArrayList<>(target.rollout().whitelist());
            ids.add(client);
            long start = System.nanoTime();
            target = store.change(target.app(), target.id(), new ReleaseAction.SetWhitelist(ids), "bench");
            for (UpdateServer s : instances) {
                URI uri = URI.create("http://127.0.0.1:" + s.port() + catalogue.checkPath(target.app(), client));
                while (!http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"whitelist\"")) {
                    if (System.nanoTime() - start > Duration.ofSeconds(30).toNanos()) {
                        throw new IllegalStateException("instance on port " + s.port() + " did not see a change within 30 s");
                    }
                    Thread.onSpinWait();
                }
            }
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        millis.sort(null);
        return millis.get(Math.min(millis.size() - 1, (int) Math.ceil(millis.size() * 0.99) - 1));
    }

    /** Heap bytes every thread of this JVM allocated so far (virtual threads count on their carriers). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** CPU time this JVM used so far, every thread (the servers, their GC, the JIT). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
