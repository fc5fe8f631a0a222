package dev.packline.releases;

import dev.packline.releases.rollout.CheckOutcome;
import dev.packline.releases.rollout.ClientInfo;
import dev.packline.releases.rollout.Decision;
import dev.packline.releases.rollout.GrayBucket;
import dev.packline.releases.rollout.ReleaseList;
import dev.packline.releases.rollout.UpdatePicker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The choice rules on in-memory releases: one table of clients against one set of releases. */
class UpdatePickerTest {
    private static final String APP = "com.example.game";
    private long nextId = 1;

    private Release release(String version, String range, UnaryOperator<Release> then) {
        NewRelease n = TestReleases.apk(APP, "production", version, range, List.of("huawei", "xiaomi"));
        Release draft = ReleaseDraft.of(n, nextId++, "test", 1);
        return then.apply(draft);
    }

    private static Release act(Release r, ReleaseAction... actions) {
        for (ReleaseAction a : actions) {
            r = Transitions.apply(r, a, "test", 2);
        }
        return r;
    }

    /** A client id whose bucket for this release is below (in) or at least (out) the release's percentage. */
    private static String clientWithBucket(Release r, boolean in) {
        for (int i = 0; ; i++) {
            String id = "client-" + i;
            if ((GrayBucket.of(r.rollout().salt(), id) < r.rollout().basisPoints()) == in) {
                return id;
            }
        }
    }

    @Test
    void whitelistThenGrayThenFullNewestFirst() {
        Release v1 = release("1.0", "<200", r -> act(r, new ReleaseAction.GoFull()));
        Release v2 = release("2.0", "<200", r -> act(r, new ReleaseAction.GoFull()));
        Release gray = release("3.0", "<200", r -> act(r, new ReleaseAction.SetBrands(List.of("Huawei")),
                new ReleaseAction.SetPercentage(3000), new ReleaseAction.Start()));
        Release listed = release("3.1", "<200", r -> act(r, new ReleaseAction.SetWhitelist(List.of("tester-1")), new ReleaseAction.Start()));
        Release draft = release("4.0", "<200", r -> act(r, new ReleaseAction.SetWhitelist(List.of("tester-1"))));
        Release rolledBack = release("5.0", "<200", r -> act(r, new ReleaseAction.GoFull(), new ReleaseAction.Rollback()));
        Release tooNew = release("6.0", "<100", r -> act(r, new ReleaseAction.GoFull()));
        ReleaseList list = new ReleaseList(List.of(v1, v2, gray, listed, draft, rolledBack, tooNew));
        String grayIn = clientWithBucket(gray, true);
        String grayOut = clientWithBucket(gray, false);

        record Case(String what, String clientId, String brand, String channel, String version, String sign, CheckOutcome outcome,
                    String offered) {
        }
        List<Case> cases = new ArrayList<>(List.of(
                new Case("whitelisted client gets the whitelist release whatever its brand", "tester-1", "oppo", "huawei", "150", null,
                        CheckOutcome.WHITELIST, "3.1"),
                new Case("gray cohort, chosen brand (any case)", grayIn, "HUAWEI", "huawei", "150", null, CheckOutcome.GRAY, "3.0"),
                new Case("gray cohort, other brand: newest full", grayIn, "oppo", "huawei", "150", null, CheckOutcome.FULL, "2.0"),
                new Case("outside the percentage: newest full", grayOut, "huawei", "huawei", "150", null, CheckOutcome.FULL, "2.0"),
                new Case("no client id: no gray, full", null, "huawei", "xiaomi", "150", null, CheckOutcome.FULL, "2.0"),
                new Case("version outside every range", grayIn, "huawei", "huawei", "250", null, CheckOutcome.UP_TO_DATE, null),
                new Case("already on the newest full", grayOut, "oppo", "huawei", "150",
                        TestReleases.md5(APP + "-2.0-huawei.apk"), CheckOutcome.UP_TO_DATE, null),
                new Case("on a newer release still offered: kept", grayOut, "oppo", "huawei", "150",
                        TestReleases.sha256(APP + "-3.0-huawei.apk"), CheckOutcome.UP_TO_DATE, null),
                new Case("on a rolled-back release: offered the previous one", grayOut, "oppo", "xiaomi", "150",
                        TestReleases.md5(APP + "-5.0-xiaomi.apk"), CheckOutcome.FULL, "2.0"),
                new Case("channel without a file: nothing", grayOut, "oppo", "vivo", "150", null, CheckOutcome.UP_TO_DATE, null)));
        for (Case c : cases) {
            Decision d = UpdatePicker.pick(list, new ClientInfo("android", ReleaseKind.APK, ClientVersion.parse(c.version()), c.clientId(),
                    c.brand(), c.channel(), c.sign()));
            assertEquals(c.outcome(), d.outcome(), c.what());
            assertEquals(c.offered(), d.release() == null ? null : d.release().version(), c.what());
            if (d.update()) {
                assertEquals(TestReleases.sha256(APP + "-" + c.offered() + "-" + c.channel() + ".apk"), d.artifact().sha256(),
                        c.what() + ": the client's own channel's file");
            }
        }
    }

    @Test
    void aPatchFromTheInstalledFileIsOffered() {
        Release v1 = release("1.0", "*", r -> act(r, new ReleaseAction.GoFull()));
        NewRelease n = TestReleases.apk(APP, "production", "2.0", "*", List.of("huawei"));
        Artifact patchFile = TestReleases.artifact("1.0-to-2.0.patch");
        NewRelease withPatch = new NewRelease(n.app(), n.deployment(), n.platform(), n.kind(), n.version(), n.clientVersions(), n.artifacts(),
                List.of(new Patch(TestReleases.sha256(APP + "-1.0-huawei.apk"), TestReleases.md5(APP + "-1.0-huawei.apk"), patchFile)),
                true, null, List.of(), null);
        Release v2 = act(ReleaseDraft.of(withPatch, nextId++, "test", 1), new ReleaseAction.GoFull());
        ReleaseList list = new ReleaseList(List.of(v1, v2));
        Decision fromV1 = UpdatePicker.pick(list, new ClientInfo("android", ReleaseKind.APK, ClientVersion.parse("1"), "c", null, "huawei",
                TestReleases.md5(APP + "-1.0-huawei.apk")));
        assertNotNull(fromV1.patch());
        assertEquals(patchFile.sha256(), fromV1.patch().file().sha256());
        Decision fresh = UpdatePicker.pick(list, new ClientInfo("android", ReleaseKind.APK, ClientVersion.parse("1"), "c", null, "huawei", null));
        assertEquals("2.0", fresh.release().version());
        assertNull(fresh.patch());
    }
}
