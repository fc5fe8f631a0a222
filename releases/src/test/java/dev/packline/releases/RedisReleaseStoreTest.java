package dev.packline.releases;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.packline.queue.TestRedis;
import dev.packline.releases.redis.Keys;
import dev.packline.releases.redis.RedisReleaseStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue on a real redis-server: apps, releases, every action in every state, audit, version and announcements. */
class RedisReleaseStoreTest {
    private static final UnifiedJedis redis = TestRedis.client();
    private final RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());

    @AfterAll
    static void close() {
        redis.close();
    }

    @Test
    void appsGetAKeyPerDeploymentAndOnlyOnce() {
        String id = TestReleases.uniqueApp("keys");
        App app = store.createApp(id, "acme", List.of("staging", "production"), "alice");
        assertEquals(2, app.deployments().size());
        assertNotEquals(app.deployments().get(0).key(), app.deployments().get(1).key());
        assertTrue(app.deployments().get(0).key().matches("dk_[A-Za-z0-9_-]{24}"));
        assertEquals(id + "/production", redis.hget(Keys.deploymentKeys(), app.deployment("production").orElseThrow().key()));
        ReleaseException twice = assertThrows(ReleaseException.class, () -> store.createApp(id, "rival", List.of("x"), "eve"));
        assertEquals(Refusal.CONFLICT, twice.refusal());
        assertEquals("acme", store.app(id).orElseThrow().owner());
        App more = store.addDeployment(id, "canary", "alice");
        assertEquals(3, more.deployments().size());
        assertEquals(Refusal.CONFLICT, assertThrows(ReleaseException.class, () -> store.addDeployment(id, "canary", "alice")).refusal());
        assertEquals(Refusal.INVALID, assertThrows(ReleaseException.class, () -> store.createApp("bad app!", "a", List.of(), "a")).refusal());
    }

    @Test
    void everyActionIsAllowedOrRefusedByState() {
        record Case(List<ReleaseAction> before, ReleaseAction action, ReleaseState after) {
        }
        ReleaseAction start = new ReleaseAction.Start();
        ReleaseAction pause = new ReleaseAction.Pause();
        ReleaseAction resume = new ReleaseAction.Resume();
        ReleaseAction full = new ReleaseAction.GoFull();
        ReleaseAction rollback = new ReleaseAction.Rollback();
        ReleaseAction percent = new ReleaseAction.SetPercentage(1250);
        List<Case> cases = List.of(
                new Case(List.of(), start, ReleaseState.ROLLING_OUT),
                new Case(List.of(), full, ReleaseState.FULL),
                new Case(List.of(), pause, null),
                new Case(List.of(), resume, null),
                new Case(List.of(start), pause, ReleaseState.PAUSED),
                new Case(List.of(start), new ReleaseAction.AutoPause("3 of 10 installs failed"), ReleaseState.PAUSED),
                new Case(List.of(start), start, null),
                new Case(List.of(start, pause), resume, ReleaseState.ROLLING_OUT),
                new Case(List.of(start, pause), full, ReleaseState.FULL),
                new Case(List.of(start, pause), percent, ReleaseState.PAUSED),
                new Case(List.of(full), pause, null),
                new Case(List.of(full), percent, null),
                new Case(List.of(full), rollback, ReleaseState.ROLLED_BACK),
                new Case(List.of(start), rollback, ReleaseState.ROLLED_BACK),
                new Case(List.of(rollback), full, null),
                new Case(List.of(rollback), start, null),
                new Case(List.of(rollback), new ReleaseAction.AddLabel("x", LabelType.STRING, TextNode.valueOf("y")), null));
        String app = TestReleases.uniqueApp("states");
        store.createApp(app, "acme", List.of("production"), "alice");
        for (Case c : cases) {
            Release r = store.create(TestReleases.bundle(app, "production", "1.0", "*"), "alice");
            for (ReleaseAction a : c.before()) {
                r = store.change(app, r.id(), a, "alice");
            }
            long id = r.id();
            if (c.after() == null) {
                ReleaseException e = assertThrows(ReleaseException.class, () -> store.change(app, id, c.action(), "bob"), c.toString());
                assertEquals(Refusal.NOT_ALLOWED, e.refusal(), c.toString());
                assertTrue(e.getMessage().contains(c.action().name()), e.getMessage());
            } else {
                Release after = store.change(app, id, c.action(), "bob");
                assertEquals(c.after(), after.state(), c.toString());
                assertEquals(after, store.release(app, id).orElseThrow(), "what Redis holds is what was returned");
                assertEquals(r.revision() + 1, after.revision());
            }
        }
    }

    @Test
    void changesAreAuditedCountedAndAnnounced() throws Exception {
        String app = TestReleases.uniqueApp("audit");
        BlockingQueue<String> messages = new ArrayBlockingQueue<>(100);
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int n) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                if (message.endsWith(" " + app)) {
                    messages.add(message);
                }
            }
        };
        Thread.ofVirtual().start(() -> redis.subscribe(listener, Keys.CHANGES));
        assertTrue(subscribed.await(10, TimeUnit.SECONDS));
        try {
            long before = store.version();
            store.createApp(app, "acme", List.of("production"), "alice");
            Release r = store.create(TestReleases.bundle(app, "production", "1.0", "2.4.x"), "alice");
            store.change(app, r.id(), new ReleaseAction.SetPercentage(1250), "bob");
            store.change(app, r.id(), new ReleaseAction.Start(), "bob");
            assertTrue(store.version() >= before + 4);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String m = messages.poll(10, TimeUnit.SECONDS);
                assertNotNull(m, "announcement " + i);
                got.add(m);
            }
            assertEquals(store.appVersions().get(app), Long.parseLong(got.get(3).split(" ")[0]), "the last announcement names the app's version");
            List<AuditEntry> audit = store.audit(app, 10);
            assertEquals(List.of("start", "set-percentage", "create", "create-app"), audit.stream().map(AuditEntry::action).toList());
            assertEquals("12.5% (was 0%)", audit.get(1).detail());
            assertEquals("bob", audit.get(0).actor());
            assertEquals("draft -> rolling_out", audit.get(0).detail());
        } finally {
            listener.unsubscribe();
        }
    }

    @Test
    void aHotfixMayGoOutWhileAnotherRolloutIsUnfinished() {
        String app = TestReleases.uniqueApp("hotfix");
        store.createApp(app, "acme", List.of("production"), "alice");
        Release slow = store.create(TestReleases.bundle(app, "production", "2.0", "*"), "alice");
        store.change(app, slow.id(), new ReleaseAction.SetPercentage(500), "alice");
        store.change(app, slow.id(), new ReleaseAction.Start(), "alice");
        Release hotfix = store.create(TestReleases.bundle(app, "production", "2.0.1", "*"), "alice");
        assertEquals(ReleaseState.FULL, store.change(app, hotfix.id(), new ReleaseAction.GoFull(), "alice").state());
        assertEquals(ReleaseState.ROLLING_OUT, store.release(app, slow.id()).orElseThrow().state());
        assertTrue(hotfix.id() > slow.id());
        assertEquals(List.of(hotfix.id(), slow.id()), store.releases(app).stream().map(Release::id).toList());
    }

    @Test
    void labelsAreAddedAndDisabledNeverDeleted() {
        String app = TestReleases.uniqueApp("labels");
        store.createApp(app, "acme", List.of("production"), "alice");
        Release r = store.create(TestReleases.bundle(app, "production", "1.0", "*"), "alice");
        store.change(app, r.id(), new ReleaseAction.AddLabel("forceUpdate", LabelType.BOOLEAN, BooleanNode.TRUE), "alice");
        assertEquals(Refusal.CONFLICT, assertThrows(ReleaseException.class, () -> store.change(app, r.id(),
                new ReleaseAction.AddLabel("forceUpdate", LabelType.BOOLEAN, BooleanNode.FALSE), "alice")).refusal());
        assertEquals(Refusal.INVALID, assertThrows(ReleaseException.class, () -> store.change(app, r.id(),
                new ReleaseAction.AddLabel("page", LabelType.NUMBER, TextNode.valueOf("not a number")), "alice")).refusal());
        store.change(app, r.id(), new ReleaseAction.DisableLabel("forceUpdate"), "bob");
        Release after = store.change(app, r.id(), new ReleaseAction.AddLabel("forceUpdate", LabelType.BOOLEAN, BooleanNode.FALSE), "bob");
        assertEquals(2, after.labels().size(), "the disabled label is kept");
        assertFalse(after.labels().get(0).enabled());
        assertEquals(List.of(BooleanNode.FALSE), after.enabledLabels().stream().map(Label::value).toList());
        assertEquals(Refusal.NOT_FOUND, assertThrows(ReleaseException.class,
                () -> store.change(app, r.id(), new ReleaseAction.DisableLabel("nothing"), "bob")).refusal());
    }

    @Test
    void concurrentChangesAllLandOneAfterTheOther() throws Exception {
        String app = TestReleases.uniqueApp("cas");
        store.createApp(app, "acme", List.of("production"), "alice");
        Release r = store.create(TestReleases.bundle(app, "production", "1.0", "*"), "alice");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String key = "label" + i;
            threads.add(Thread.ofVirtual().start(() -> store.change(app, r.id(), new ReleaseAction.AddLabel(key, LabelType.STRING,
                    TextNode.valueOf(key)), "writer")));
        }
        for (Thread t : threads) {
            t.join();
        }
        Release after = store.release(app, r.id()).orElseThrow();
        assertEquals(4, after.labels().size(), "no change overwrote another");
        assertEquals(5, after.revision());
    }

    @Test
    void promotionCopiesAReleaseToAnotherDeployment() {
        String app = TestReleases.uniqueApp("promote");
        store.createApp(app, "acme", List.of("staging", "production"), "alice");
        Release staged = store.create(TestReleases.bundle(app, "staging", "3.0", "3.x"), "alice");
        Release promoted = store.promote(app, staged.id(), "production", "alice");
        assertEquals("production", promoted.deployment());
        assertEquals(staged.artifacts(), promoted.artifacts());
        assertEquals(staged.id(), promoted.promotedFrom());
        assertEquals(ReleaseState.DRAFT, promoted.state());
        assertNotEquals(staged.rollout().salt(), promoted.rollout().salt());
        assertEquals(Refusal.NOT_FOUND, assertThrows(ReleaseException.class, () -> store.promote(app, staged.id(), "nowhere", "a")).refusal());
    }

    @Test
    void badReleasesAreRefusedWithEveryProblemNamed() {
        String app = TestReleases.uniqueApp("bad");
        store.createApp(app, "acme", List.of("production"), "alice");
        NewRelease bad = new NewRelease(app, "Production!", "Android", null, "", ">=x", java.util.Map.of("huawei",
                new Artifact(null, "ftp://x", 0, "abc", "zz")), List.of(), false, null, List.of(), null);
        ReleaseException e = assertThrows(ReleaseException.class, () -> store.create(bad, "alice"));
        assertEquals(Refusal.INVALID, e.refusal());
        for (String field : List.of("deployment", "platform", "kind", "version", "clientVersions", "artifacts.huawei")) {
            assertTrue(e.getMessage().contains(field + ":"), field + " in " + e.getMessage());
        }
        assertEquals(Refusal.NOT_FOUND, assertThrows(ReleaseException.class,
                () -> store.create(TestReleases.bundle(app, "staging", "1", "*"), "alice")).refusal());
        assertEquals(Refusal.NOT_FOUND, assertThrows(ReleaseException.class,
                () -> store.create(TestReleases.bundle(app + "-missing", "production", "1", "*"), "alice")).refusal());
    }
}
