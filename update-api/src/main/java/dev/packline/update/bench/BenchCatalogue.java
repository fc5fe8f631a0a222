package dev.packline.update.bench;

import dev.packline.releases.Artifact;
import dev.packline.releases.NewRelease;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.ReleaseKind;
import dev.packline.releases.redis.RedisReleaseStore;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmark's catalogue, written through the real store: apps with one deployment, each with
 * APK releases of three channels (older ones full, the newest rolling out at 30% to two brands),
 * and every 10th app's newest release whitelisting 10,000 client ids. Knows how to make a random
 * client's check path.
 */
final class BenchCatalogue {
    static final List<String> CHANNELS = List.of("huawei", "xiaomi", "oppo");
    private static final List<String> BRANDS = List.of("huawei", "xiaomi", "oppo", "vivo", "samsung");

    private final Map<String, String> keys;
    private final List<String> apps;
    private final Release probe;

    private BenchCatalogue(Map<String, String> keys, Release probe) {
        this.keys = keys;
        this.apps = List.copyOf(keys.keySet());
        this.probe = probe;
    }

    static BenchCatalogue write(RedisReleaseStore store, int appCount, int releasesPerApp) {
        Map<String, String> keys = new LinkedHashMap<>();
        Release probe = null;
        for (int a = 0; a < appCount; a++) {
            String app = "com.bench.app" + a;
            keys.put(app, store.createApp(app, "bench", List.of("production"), "bench").deployment("production").orElseThrow().key());
            for (int r = 0; r < releasesPerApp; r++) {
                boolean newest = r == releasesPerApp - 1;
                Release release = store.create(new NewRelease(app, "production", "android", ReleaseKind.APK, "1." + r, "<" + (100 + r),
                        artifacts(app, r), List.of(), false, null, List.of(), null), "bench");
                if (!newest) {
                    store.change(app, release.id(), new ReleaseAction.GoFull(), "bench");
                    continue;
                }
                store.change(app, release.id(), new ReleaseAction.SetBrands(List.of("huawei", "xiaomi")), "bench");
                store.change(app, release.id(), new ReleaseAction.SetPercentage(3000), "bench");
                if (a % 10 == 0) {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 10_000; i++) {
                        ids.add("tester-" + a + "-" + i);
                    }
                    store.change(app, release.id(), new ReleaseAction.SetWhitelist(ids), "bench");
                }
                release = store.change(app, release.id(), new ReleaseAction.Start(), "bench");
                if (a == 1) {
                    probe = release;
                }
            }
        }
        return new BenchCatalogue(keys, probe != null ? probe : null);
    }

    private static Map<String, Artifact> artifacts(String app, int release) {
        Map<String, Artifact> files = new LinkedHashMap<>();
        for (String channel : CHANNELS) {
            String name = app + "-1." + release + "-" + channel + ".apk";
            byte[] hash = new byte[32];
            ThreadLocalRandom.current().nextBytes(hash);
            files.put(channel, new Artifact(null, "https://cdn.example.com/" + name, 40_000_000 + release, HexFormat.of().formatHex(hash), null));
        }
        return files;
    }

    /** A rolling-out release the propagation rounds change (needs at least two apps). */
    Release probe() {
        if (probe == null) {
            throw new IllegalStateException("the propagation rounds need at least two apps");
        }
        return probe;
    }

    /** A random client of a random app: version, id, brand and channel vary. */
    String randomCheckPath() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String app = apps.get(random.nextInt(apps.size()));
        return "/v1/check?deploymentKey=" + keys.get(app) + "&platform=android&clientVersion=" + (90 + random.nextInt(20))
                + "&clientId=c" + random.nextLong(1L << 40) + "&brand=" + BRANDS.get(random.nextInt(BRANDS.size()))
                + "&channel=" + CHANNELS.get(random.nextInt(CHANNELS.size()));
    }

    String checkPath(String app, String clientId) {
        return "/v1/check?deploymentKey=" + keys.get(app) + "&platform=android&clientVersion=50&clientId=" + clientId + "&channel=huawei";
    }
}
