package dev.packline.demo.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.packaging.ApkInspector;
import dev.packline.packaging.ChannelInfo;
import dev.packline.packaging.ChannelReader;
import dev.packline.packaging.Patcher;
import dev.packline.packaging.SignatureReport;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.RedisConnector;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the system tests check, independently of what the workers reported: the objects in the
 * store (listed and downloaded from the object server), and the queues' Redis structures.
 * Each check returns the problems it found, so a failure lists all of them.
 */
final class SystemChecks {
    /** Where the upload stage stages a mother for server-side copies (docs/storage.md). */
    static final String STAGING = "_packline/staging/";

    private SystemChecks() {
    }

    /**
     * The bucket holds exactly one object per channel, under the key its name template gives, and
     * nothing else but the request's patches (each with its {@code .json}, and the zip-aware patch the
     * diff stage makes beside it) and staged mothers.
     * Every channel object downloads, verifies with apksig, reads back its own channel, and is the
     * file whose SHA-256 the request recorded.
     */
    static List<String> channelsInStore(Platform platform, JsonNode status, List<String> channelNames, boolean verifyContent)
            throws Exception {
        return channelsInStore(platform, List.of(status), channelNames, verifyContent);
    }

    /** As above for several requests into one store: {@code channelNames} are all their channels. */
    static List<String> channelsInStore(Platform platform, List<JsonNode> statuses, List<String> channelNames, boolean verifyContent)
            throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, String> expected = new HashMap<>();
        for (String name : channelNames) {
            expected.put(Platform.PREFIX + name + ".apk", name);
        }
        Set<String> patchKeys = new HashSet<>();
        Map<String, JsonNode> results = new HashMap<>();
        for (JsonNode status : statuses) {
            for (JsonNode diff : status.path("diffs")) {
                patchKeys.add(diff.path("objectKey").asText());
                patchKeys.add(diff.path("objectKey").asText() + ".json");
                if (diff.path("zipAware").has("objectKey")) {
                    patchKeys.add(diff.path("zipAware").path("objectKey").asText()); // the zip-aware patch made beside it
                }
            }
            for (JsonNode result : status.path("results")) {
                results.put(result.path("objectKey").asText(), result);
            }
        }
        List<String> stored = platform.storedKeys();
        Set<String> seen = new HashSet<>();
        for (String key : stored) {
            if (!seen.add(key)) {
                problems.add("listed twice: " + key);
            } else if (!expected.containsKey(key) && !patchKeys.contains(key) && !key.startsWith(STAGING)) {
                problems.add("an object nobody asked for: " + key);
            }
        }
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(seen);
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " channel objects missing, e.g. " + missing.stream().limit(5).toList());
        }
        if (!verifyContent) {
            return problems;
        }
        Path downloads = Files.createDirectories(platform.dir().resolve("downloads"));
        for (Map.Entry<String, String> channel : expected.entrySet()) {
            if (!seen.contains(channel.getKey())) {
                continue;
            }
            Path apk = platform.download(channel.getKey(), downloads.resolve("channel.apk"));
            SignatureReport report = ApkInspector.verify(apk);
            Optional<ChannelInfo> info = ChannelReader.read(apk);
            JsonNode result = results.get(channel.getKey());
            if (!report.verified()) {
                problems.add(channel.getKey() + " does not verify: " + report.errors());
            } else if (info.isEmpty() || !info.get().name().equals(channel.getValue())) {
                problems.add(channel.getKey() + " reads back as " + info.map(ChannelInfo::name).orElse("no channel"));
            } else if (result == null) {
                problems.add(channel.getKey() + " is in the store but not in the request's results");
            } else if (!sha256(apk).equals(result.path("sha256").asText())) {
                problems.add(channel.getKey() + " is not the file whose SHA-256 the request recorded");
            }
        }
        return problems;
    }

    /** Each patch of the request rebuilds the newer mother from the older one exactly. */
    static List<String> patchesApply(Platform platform, JsonNode status) throws Exception {
        List<String> problems = new ArrayList<>();
        if (status.path("diffs").isEmpty()) {
            problems.add("no patch was reported");
        }
        for (JsonNode diff : status.path("diffs")) {
            if (!"done".equals(diff.path("state").asText())) {
                problems.add("patch " + diff);
                continue;
            }
            Path patch = platform.download(diff.path("objectKey").asText(), platform.dir().resolve("patch.bin"));
            Path rebuilt = platform.dir().resolve("rebuilt.apk");
            Patcher.withDefaultBudget().apply(platform.olderMother(), patch, rebuilt);
            if (!sha256(rebuilt).equals(sha256(platform.newerMother()))) {
                problems.add("patch " + diff.path("objectKey").asText() + " does not rebuild the newer mother");
            }
        }
        return problems;
    }

    /**
     * No job is left anywhere a worker keeps one: on every version of every queue, nothing
     * pending, delayed, retrying, active, or being migrated, no hard deadline left, and every
     * worker's active list (the backup that survives its crash) empty.
     */
    static List<String> noJobLeft(String redisUrl) {
        List<String> problems = new ArrayList<>();
        try (UnifiedJedis redis = RedisConnector.open(redisUrl, 2);
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redisUrl, 2), redisUrl, Clock.systemUTC(), Retention.DEFAULT, true)) {
            QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
            for (String name : inspector.queueNames()) {
                for (QueueVersion version : broker.versions(name)) {
                    QueueCounts counts = broker.counts(version);
                    if (counts.unfinished() > 0) {
                        problems.add(version + " still holds jobs: " + counts);
                    }
                    Keys keys = new Keys(version);
                    if (redis.zcard(keys.deadlines) > 0) {
                        problems.add(version + " has hard deadlines left: " + redis.zrange(keys.deadlines, 0, -1));
                    }
                    if (redis.llen(keys.migrating) > 0) {
                        problems.add(version + " has jobs in its migrating list");
                    }
                    for (String active : scan(redis, keys.active("*"))) {
                        long held = redis.llen(active);
                        if (held > 0) {
                            problems.add(active + " holds " + held + " jobs: " + redis.lrange(active, 0, 9));
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** Polls {@link #noJobLeft} until it finds nothing (workers' leases expire and jobs are recovered), or the timeout passes. */
    static List<String> awaitNoJobLeft(String redisUrl, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> problems = noJobLeft(redisUrl);
        while (!problems.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            problems = noJobLeft(redisUrl);
        }
        return problems;
    }

    /** The request's own counts agree with each other and with the number of channel objects in the store. */
    static List<String> countsMatchStore(JsonNode status, int channels, long channelObjects) {
        List<String> problems = new ArrayList<>();
        JsonNode counts = status.path("channels");
        check(problems, "channels.total", counts.path("total").asLong(), channels);
        check(problems, "channels.ended", counts.path("ended").asLong(), channels);
        check(problems, "channels.done", counts.path("done").asLong(), channelObjects);
        check(problems, "channels.failed", counts.path("failed").asLong(), 0);
        check(problems, "stages.package.done", status.path("stages").path("package").path("done").asLong(), channelObjects);
        check(problems, "stages.upload.done", status.path("stages").path("upload").path("done").asLong(), channelObjects);
        check(problems, "results", status.path("results").size(), channels);
        long resultsDone = 0;
        for (JsonNode r : status.path("results")) {
            resultsDone += "done".equals(r.path("outcome").asText()) ? 1 : 0;
        }
        check(problems, "results with outcome done", resultsDone, channelObjects);
        return problems;
    }

    private static void check(List<String> problems, String what, long actual, long expected) {
        if (actual != expected) {
            problems.add(what + " is " + actual + ", expected " + expected);
        }
    }

    private static List<String> scan(UnifiedJedis redis, String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(500));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
