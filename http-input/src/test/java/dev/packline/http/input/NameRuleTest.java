package dev.packline.http.input;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameRuleTest {
    private final NameRule rule = new NameRule(100);

    /** Printable ASCII takes a short path (no per-character category, no normaliser): its outcome is the rule's. */
    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void printableAsciiNamesFollowTheSameRule(@ForAll("printableAscii") String raw) {
        List<InputProblem> problems = new ArrayList<>();
        String name = new NameRule(20).normalise("n", raw, problems);
        boolean refused = raw.isEmpty() || raw.startsWith(" ") || raw.endsWith(" ") || raw.length() > 20;
        assertEquals(refused ? null : raw, name, "'" + raw + "'");
        assertEquals(refused ? 1 : 0, problems.size());
        if (refused) {
            String why = problems.getFirst().message();
            assertTrue(raw.isEmpty() ? why.contains("empty") : raw.startsWith(" ") || raw.endsWith(" ") ? why.contains("space") : why.contains("longer than 20"), why);
        }
    }

    @Provide
    Arbitrary<String> printableAscii() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(0).ofMaxLength(30);
    }

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void anAcceptedNameIsNfcAndHoldsNoHiddenOrReorderingCharacter(@ForAll String raw) {
        List<InputProblem> problems = new ArrayList<>();
        String name = rule.normalise("n", raw, problems);
        if (name == null) {
            assertEquals(1, problems.size());
            assertEquals("n", problems.getFirst().field());
            return;
        }
        assertTrue(problems.isEmpty());
        assertEquals(Normalizer.normalize(name, Normalizer.Form.NFC), name);
        name.codePoints().forEach(c -> {
            int type = Character.getType(c);
            assertTrue(type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE && type != Character.UNASSIGNED
                    && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR, "U+" + Integer.toHexString(c));
        });
    }

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void canonicallyEquivalentNamesNormaliseToOneName(@ForAll("latinWithAccents") String raw) {
        String composed = rule.normalise("a", Normalizer.normalize(raw, Normalizer.Form.NFC), new ArrayList<>());
        String decomposed = rule.normalise("b", Normalizer.normalize(raw, Normalizer.Form.NFD), new ArrayList<>());
        assertEquals(composed, decomposed);
        List<InputProblem> problems = new ArrayList<>();
        DistinctNames distinct = new DistinctNames();
        distinct.add("channels[0]", composed, problems);
        distinct.add("channels[1]", decomposed, problems);
        assertEquals("channels[1]", problems.getFirst().field());
        assertTrue(problems.getFirst().message().contains("channels[0]"), problems.toString());
    }

    @Provide
    Arbitrary<String> latinWithAccents() {
        return Arbitraries.strings().withChars("aeiouAEIOUcnCN\u00e9\u00e8\u00f1\u00fc\u00c5\u00e7\u1e09").ofMinLength(1).ofMaxLength(20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kpa.\u202eexe", "a\u202ab", "a\u2066b\u2069", "a\u200eb", "a\u200fb", "a\u061cb", "zero\u200bwidth", "join\u200dx",
            "bom\ufeff", "soft\u00adhyphen", "tag\udb40\udc41", "nbsp\u00a0x", "line\u2028x", "bell\u0007", "priv\ue000", "filler\u3164",
            " lead", "trail ", ""})
    void spoofingAndHiddenCharactersAreRefused(String raw) {
        List<InputProblem> problems = new ArrayList<>();
        assertNull(rule.normalise("channels[0]", raw, problems));
        assertEquals("channels[0]", problems.getFirst().field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"huawei", "华为", "小米-应用商店", "oppo 2024", "café", "ストア", "متجر"})
    void ordinaryNamesInAnyScriptPass(String raw) {
        List<InputProblem> problems = new ArrayList<>();
        assertEquals(Normalizer.normalize(raw, Normalizer.Form.NFC), rule.normalise("n", raw, problems));
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void theLengthIsCountedInCodePointsAfterNormalisation() {
        List<InputProblem> problems = new ArrayList<>();
        assertEquals("\ud83d\ude00".repeat(100), rule.normalise("n", "\ud83d\ude00".repeat(100), problems));
        assertNull(rule.normalise("n", "x".repeat(101), problems));
        assertTrue(problems.getFirst().message().contains("longer than 100"), problems.toString());
    }
}
