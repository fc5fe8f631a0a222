package dev.packline.update.check;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.packline.releases.Artifact;
import dev.packline.releases.Label;
import dev.packline.releases.LabelType;
import dev.packline.releases.Patch;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseKind;
import dev.packline.releases.ReleaseState;
import dev.packline.releases.Rollout;
import dev.packline.releases.VersionRange;
import dev.packline.releases.rollout.CheckOutcome;
import dev.packline.releases.rollout.Decision;
import dev.packline.update.http.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The answers made once are byte for byte what serialising each call's whole body gave (the body
 * of {@link CheckAnswer#nativeBody}, its patch replaced by the offers), and belong to one snapshot.
 */
class NativeAnswersTest {
    private static final Artifact FILE = new Artifact("store://a/app-2.0.apk", "https://cdn.example/app-2.0.apk", 1234,
            "a".repeat(64), "b".repeat(32));
    private static final Artifact PATCH_FILE = new Artifact(null, "https://cdn.example/p.patch", 99, "c".repeat(64), null);

    private static Release release(long id, List<Label> labels, String notes, List<Patch> patches) {
        return new Release(id, "app", "production", "android", ReleaseKind.APK, "2.0", VersionRange.parse("<200"), Map.of("huawei", FILE),
                patches, true, notes, labels, Rollout.none("salt"), ReleaseState.FULL, null, null, "alice", 1, 2, 3);
    }

    /** What the check route sent before answers were made once. */
    private static String wholeBody(Decision d, Map<String, Object> offers) throws Exception {
        Map<String, Object> body = CheckAnswer.nativeBody(d);
        body.remove("patch");
        body.putAll(offers);
        return Json.MAPPER.writeValueAsString(body);
    }

    @Test
    void answersAreWhatSerialisingTheWholeBodyGave() throws Exception {
        List<Label> labels = List.of(new Label("force", LabelType.BOOLEAN, BooleanNode.TRUE, true, 1, "alice"),
                new Label("old", LabelType.STRING, TextNode.valueOf("x"), false, 1, "alice"),
                new Label("page", LabelType.STRING, TextNode.valueOf("ünïcode \"quoted\""), true, 1, "alice"));
        Patch patch = new Patch("d".repeat(64), null, PATCH_FILE);
        Map<String, Object> patchOffers = new LinkedHashMap<>();
        patchOffers.put("patch", Map.of("format", "bsdiff"));
        patchOffers.put("patches", List.of(Map.of("format", "bsdiff")));
        Map<String, Object> preparing = new LinkedHashMap<>();
        preparing.put("preparing", List.of("zip-aware"));
        record Case(String what, Decision decision, Map<String, Object> offers) {
        }
        for (Case c : List.of(
                new Case("up to date", Decision.UP_TO_DATE, Map.of()),
                new Case("full, labels, one disabled", new Decision(CheckOutcome.FULL, release(7, labels, "notes", List.of()), FILE, null), Map.of()),
                new Case("no notes, no labels", new Decision(CheckOutcome.GRAY, release(8, List.of(), null, List.of()), FILE, null), Map.of()),
                new Case("a patch offered", new Decision(CheckOutcome.WHITELIST, release(9, labels, "n", List.of(patch)), FILE, patch), patchOffers),
                new Case("a patch not offered", new Decision(CheckOutcome.WHITELIST, release(10, labels, "n", List.of(patch)), FILE, patch), Map.of()),
                new Case("formats being made", new Decision(CheckOutcome.FULL, release(11, labels, "n", List.of()), FILE, null), preparing))) {
            NativeAnswers answers = new NativeAnswers();
            String sent = new String(answers.of("snapshot", c.decision()).with(new LinkedHashMap<>(c.offers())), StandardCharsets.UTF_8);
            assertEquals(wholeBody(c.decision(), c.offers()), sent, c.what());
            String again = new String(answers.of("snapshot", c.decision()).with(new LinkedHashMap<>(c.offers())), StandardCharsets.UTF_8);
            assertEquals(sent, again, c.what() + ", made once and sent again");
        }
    }

    @Test
    void answersBelongToTheRecordsAndTheSnapshotTheyWereMadeFrom() {
        NativeAnswers answers = new NativeAnswers();
        Release r = release(7, List.of(), "notes", List.of());
        Decision d = new Decision(CheckOutcome.FULL, r, FILE, null);
        NativeAnswers.Answer first = answers.of("snapshot 1", d);
        assertSame(first, answers.of("snapshot 1", new Decision(CheckOutcome.FULL, r, FILE, null)));
        assertNotSame(first, answers.of("snapshot 1", new Decision(CheckOutcome.GRAY, r, FILE, null)), "another outcome, another answer");
        Release changed = release(7, List.of(), "other notes", List.of()); // a reload makes new records, even of the same id
        NativeAnswers.Answer after = answers.of("snapshot 1", new Decision(CheckOutcome.FULL, changed, FILE, null));
        assertNotSame(first, after);
        assertEquals(3, answers.size());
        answers.of("snapshot 2", d);
        assertEquals(1, answers.size(), "a new snapshot drops the answers of the last one");
    }
}
