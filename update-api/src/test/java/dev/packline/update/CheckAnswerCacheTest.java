package dev.packline.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.packline.queue.TestRedis;
import dev.packline.releases.LabelType;
import dev.packline.releases.NewRelease;
import dev.packline.releases.Patch;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.TestReleases;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.update.UpdateFixture.Answer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static dev.packline.update.UpdateFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check route answers from answers made once per release and file (check.NativeAnswers): on a
 * real redis-server and over real HTTP, a change of a release is answered as soon as the snapshot
 * reloads, never the answer made before it, and an answer with a patch keeps its fields in order.
 */
class CheckAnswerCacheTest {

    @Test
    void aChangedReleaseIsAnsweredAfterTheSnapshotReloadsNotTheAnswerMadeBefore() throws Exception {
        try (UnifiedJedis redis = TestRedis.client(); UpdateServer api = UpdateFixture.start(TestRedis.url(), "")) {
            RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
            String app = TestReleases.uniqueApp("answers");
            String key = store.createApp(app, "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
            Release r = store.create(TestReleases.apk(app, "production", "1.0", "<200", List.of("huawei")), "alice");
            store.change(app, r.id(), new ReleaseAction.AddLabel("banner", LabelType.STRING, TextNode.valueOf("first")), "alice");
            store.change(app, r.id(), new ReleaseAction.GoFull(), "alice");
            String check = "/v1/check?deploymentKey=" + key + "&platform=android&clientVersion=100&channel=huawei";

            Answer first = waitFor(api, check, a -> a.body().path("labels").path("banner").asText().equals("first"));
            assertEquals(first.text(), get(api, check).text(), "the answer made once is the answer sent again");

            store.change(app, r.id(), new ReleaseAction.AddLabel("page", LabelType.STRING, TextNode.valueOf("news")), "alice");
            Answer labelled = waitFor(api, check, a -> a.body().path("labels").has("page"));
            assertEquals("first", labelled.body().get("labels").get("banner").asText());
            store.change(app, r.id(), new ReleaseAction.DisableLabel("banner"), "alice");
            Answer disabled = waitFor(api, check, a -> !a.body().path("labels").has("banner"));
            assertEquals("news", disabled.body().get("labels").get("page").asText());
            for (int i = 0; i < 5; i++) {
                assertEquals(disabled.text(), get(api, check).text(), "once reloaded, never the answer made before the change");
            }
            store.change(app, r.id(), new ReleaseAction.Rollback(), "alice");
            waitFor(api, check, a -> !a.body().get("update").asBoolean());
        }
    }

    @Test
    void aPatchIsAppendedAfterTheReleaseFieldsAsBefore() throws Exception {
        try (UnifiedJedis redis = TestRedis.client(); UpdateServer api = UpdateFixture.start(TestRedis.url(), "")) {
            RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
            String app = TestReleases.uniqueApp("answers-patch");
            String key = store.createApp(app, "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
            NewRelease plain = TestReleases.apk(app, "production", "2.0", "<200", List.of("huawei"));
            String mother = TestReleases.sha256("mother-1.0.apk");
            NewRelease withPatch = new NewRelease(plain.app(), plain.deployment(), plain.platform(), plain.kind(), plain.version(),
                    plain.clientVersions(), plain.artifacts(), List.of(new Patch(mother, null, TestReleases.artifact("mother-1.0-to-2.0.patch"))),
                    plain.mandatory(), plain.notes(), plain.labels(), plain.source());
            Release r = store.create(withPatch, "alice");
            store.change(app, r.id(), new ReleaseAction.GoFull(), "alice");
            String check = "/v1/check?deploymentKey=" + key + "&platform=android&clientVersion=100&channel=huawei";

            Answer patched = waitFor(api, check + "&sign=" + mother, a -> a.body().path("update").asBoolean());
            assertEquals(List.of("update", "outcome", "releaseId", "version", "mandatory", "notes", "labels", "downloadUrl", "sign", "sha256",
                    "md5", "size", "patch", "patches"), names(patched.body()), patched.text());
            assertEquals(TestReleases.sha256("mother-1.0-to-2.0.patch"), patched.body().get("patch").get("sha256").asText());
            // the same release and file for a client without the mother: the same answer, without the patch
            Answer plainAnswer = get(api, check);
            assertFalse(plainAnswer.body().has("patch"), plainAnswer.text());
            assertTrue(patched.text().startsWith(plainAnswer.text().substring(0, plainAnswer.text().length() - 1) + ",\"patch\":{"),
                    "the patch follows the release's fields: " + patched.text() + " / " + plainAnswer.text());
            double offeredBefore = patchesOffered(api);
            Answer noFormats = get(api, check + "&sign=" + mother + "&formats=");
            assertEquals(plainAnswer.text(), noFormats.text(), "a client that applies no patch gets the plain answer");
            get(api, check + "&sign=" + mother + "&formats=chunk");
            assertEquals(offeredBefore, patchesOffered(api), "answers without a patch are not counted as offering one");
            get(api, check + "&sign=" + mother);
            get(api, check.replace("/v1/check", "/v1/compat/check") + "&sign=" + mother);
            assertEquals(offeredBefore + 2, patchesOffered(api), "each answer that holds a patch is counted");
        }
    }

    /** packline_update_patches_offered_total as the instance's /metrics says it. */
    private static double patchesOffered(UpdateServer api) throws Exception {
        return get(api, "/metrics").text().lines().filter(l -> l.startsWith("packline_update_patches_offered_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<String> names(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Answer waitFor(UpdateServer api, String check, Predicate<Answer> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Answer a = get(api, check);
            assertEquals(200, a.status(), a.text());
            if (wanted.test(a)) {
                return a;
            }
            assertTrue(System.nanoTime() < deadline, "the instance never answered with the change: " + a.text());
            Thread.sleep(20);
        }
    }
}
