package dev.packline.releases;

import dev.packline.queue.TestRedisCluster;
import dev.packline.redis.RedisConnector;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.Keys;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.releases.serving.CatalogCache;
import dev.packline.releases.serving.ChangeListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release store's scripts and reads on a real three-master Redis Cluster (queue-core's
 * {@link TestRedisCluster}): every change is one script in the catalogue's slot, reports land in a
 * slot per release spread over the masters, and an instance's snapshot loads and follows changes
 * over the cluster's pub/sub. None of it may fail with CROSSSLOT.
 */
class ReleaseStoreClusterTest {
    private static TestRedisCluster cluster;
    private static UnifiedJedis redis;

    @BeforeAll
    static void startCluster() throws InterruptedException {
        cluster = new TestRedisCluster();
        redis = RedisConnector.open(cluster.url());
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyActionPromotionAndAuditRunsOnTheCluster() {
        RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
        String app = TestReleases.uniqueApp("cluster");
        store.createApp(app, "acme", List.of("staging", "production"), "alice");
        store.addDeployment(app, "canary", "alice");
        Release first = store.create(TestReleases.apk(app, "production", "1.0", "<110", List.of("huawei", "oppo")), "alice");
        store.change(app, first.id(), new ReleaseAction.GoFull(), "alice");
        Release second = store.create(TestReleases.apk(app, "production", "1.1", "<111", List.of("huawei")), "alice");
        for (ReleaseAction action : List.of(new ReleaseAction.SetWhitelist(List.of("qa-1", "qa-2")), new ReleaseAction.SetBrands(List.of("huawei")),
                new ReleaseAction.SetPercentage(1250), new ReleaseAction.Start(), new ReleaseAction.Pause(), new ReleaseAction.Resume(),
                new ReleaseAction.GoFull(), new ReleaseAction.Rollback())) {
            store.change(app, second.id(), action, "alice");
        }
        Release promoted = store.promote(app, first.id(), "staging", "alice");

        assertEquals(ReleaseState.ROLLED_BACK, store.release(app, second.id()).orElseThrow().state());
        assertEquals(ReleaseState.FULL, store.release(app, first.id()).orElseThrow().state());
        assertEquals("staging", promoted.deployment());
        assertEquals(3, store.releases(app).size());
        assertEquals(3, store.app(app).orElseThrow().deployments().size());
        List<AuditEntry> audit = store.audit(app, 100);
        assertTrue(audit.size() >= 14, "app, deployment, 3 creations, 9 actions, promotion: " + audit);
        assertTrue(store.version() > 0);
        assertTrue(store.appVersions().containsKey(app));
        assertEquals(3, store.loadApp(app).orElseThrow().releases().size());
    }

    @Test
    void reportsOfManyReleasesLandOnSeveralMasters() {
        RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
        InstallReports reports = new InstallReports(redis);
        String app = TestReleases.uniqueApp("cluster-reports");
        store.createApp(app, "acme", List.of("production"), "alice");
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Release r = store.create(TestReleases.apk(app, "production", "2." + i, "*", List.of("huawei")), "alice");
            reports.record(r.id(), InstallEvent.INSTALLED, "client-1", null);
            reports.record(r.id(), InstallEvent.INSTALLED, "client-2", null);
            InstallReports.Outcomes outcomes = reports.record(r.id(), InstallEvent.FAILED, "client-3", "verify_failed");
            assertEquals(new InstallReports.Outcomes(2, 1), outcomes);
            assertEquals(new InstallReports.Tally(2, 2), reports.tallies(r.id()).get(InstallEvent.INSTALLED));
            assertEquals(1L, reports.failureReasons(r.id()).get("verify_failed"));
            masters.add(JedisClusterCRC16.getSlot(Keys.reports(r.id())) * 3 / 16384);
        }
        assertTrue(masters.size() > 1, "six releases' reports all hashed to one master: " + masters);
    }

    @Test
    void aSnapshotLoadsAndFollowsChangesOverTheCluster() throws Exception {
        RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
        String app = TestReleases.uniqueApp("cluster-serving");
        String key = store.createApp(app, "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
        CatalogCache cache = new CatalogCache(store, Clock.systemUTC(), Duration.ofMillis(10));
        try (UnifiedJedis subscriber = RedisConnector.open(cluster.url(), 2); ChangeListener listener = new ChangeListener(subscriber, cache)) {
            listener.start();
            assertEquals(CatalogCache.Lookup.FOUND, cache.lookup(key).outcome());
            Release r = store.create(TestReleases.apk(app, "production", "3.0", "*", List.of("huawei")), "alice");
            store.change(app, r.id(), new ReleaseAction.GoFull(), "alice");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (cache.current().appVersion(app) < store.appVersions().get(app) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(store.appVersions().get(app), cache.current().appVersion(app), "the change reached the snapshot by the announcement alone");
            assertEquals(app, cache.lookup(key).deployment().app().id());
        }
    }
}
