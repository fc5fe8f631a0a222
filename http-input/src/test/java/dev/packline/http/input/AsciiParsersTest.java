package dev.packline.http.input;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsciiParsersTest {

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void aWholeNumberIsInRangeAndAsciiOrRefusedNamingTheParameter(@ForAll String text) {
        long value;
        try {
            value = AsciiParsers.wholeNumber("limit", text, 1, 100);
        } catch (InputRefusedException e) {
            assertEquals(400, e.status());
            assertEquals("limit", e.problems().getFirst().field());
            return;
        }
        assertTrue(value >= 1 && value <= 100);
        assertTrue(text.chars().allMatch(c -> c >= '0' && c <= '9'), text);
    }

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void everyDecimalNumberOfThisRangeIsRead(@ForAll long n) {
        if (n < 0) {
            assertThrows(InputRefusedException.class, () -> AsciiParsers.wholeNumber("n", Long.toString(n), 0, Long.MAX_VALUE));
        } else {
            assertEquals(n, AsciiParsers.wholeNumber("n", Long.toString(n), 0, Long.MAX_VALUE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0665", "1\u0662", "\uff11", "+5", "-1", " 5", "5 ", "0x10", "5.0", "", "99999999999999999999", "9223372036854775808"})
    void nonAsciiDigitsSignsAndOverflowAreRefused(String text) {
        InputRefusedException e = assertThrows(InputRefusedException.class, () -> AsciiParsers.wholeNumber("limit", text, 0, Long.MAX_VALUE));
        assertEquals("limit", e.problems().getFirst().field());
    }

    @Test
    void refusalsShowTheValueEscapedAndCut() {
        InputRefusedException e = assertThrows(InputRefusedException.class, () -> AsciiParsers.wholeNumber("limit", "\u0665" + "x".repeat(100), 1, 5));
        assertTrue(e.getMessage().contains("'\\u0665xxx"), e.getMessage());
        assertTrue(e.getMessage().contains("...'"), e.getMessage());
    }

    @Test
    void tokensAndVisibleTextAreAsciiOnly() {
        assertEquals("r0a-_", AsciiParsers.token("id", "r0a-_", 1, 64, "-_", "a request id"));
        assertThrows(InputRefusedException.class, () -> AsciiParsers.token("id", "r\u0660", 1, 64, "-_", "a request id"));
        assertEquals("build-42", AsciiParsers.visible("Idempotency-Key", "build-42", 1, 200));
        assertThrows(InputRefusedException.class, () -> AsciiParsers.visible("Idempotency-Key", "has space", 1, 200));
        assertThrows(InputRefusedException.class, () -> AsciiParsers.visible("Idempotency-Key", "caf\u00e9", 1, 200));
    }
}
