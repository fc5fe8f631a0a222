package dev.packline.http.input;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictUtf8Test {

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void anyByteStringIsEitherExactlyItsTextOrRefused(@ForAll byte[] bytes) {
        String text;
        try {
            text = StrictUtf8.decode(bytes, "body");
        } catch (InputRefusedException e) {
            assertEquals(400, e.status());
            assertEquals("body", e.problems().getFirst().field());
            return;
        }
        assertArrayEquals(bytes, text.getBytes(StandardCharsets.UTF_8), "decoded text must encode back to the same bytes: nothing replaced");
        assertEquals(-1, StrictUtf8.loneSurrogateAt(text));
    }

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void wellFormedTextComesBackUnchanged(@ForAll String text) {
        String wellFormed = text.codePoints().filter(c -> c < 0xD800 || c > 0xDFFF)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        assertEquals(wellFormed, StrictUtf8.decode(wellFormed.getBytes(StandardCharsets.UTF_8), "body"));
    }

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void overlongFormsAreRefused(@ForAll("overlong") byte[] bytes) {
        assertThrows(InputRefusedException.class, () -> StrictUtf8.decode(bytes, "body"));
    }

    /** A code point encoded in more bytes than it needs: 2 bytes for < 0x80, 3 for < 0x800, 4 for < 0x10000. */
    @Provide
    Arbitrary<byte[]> overlong() {
        Arbitrary<byte[]> two = Arbitraries.integers().between(0, 0x7F)
                .map(c -> new byte[]{(byte) (0xC0 | c >> 6), (byte) (0x80 | c & 0x3F)});
        Arbitrary<byte[]> three = Arbitraries.integers().between(0, 0x7FF)
                .map(c -> new byte[]{(byte) 0xE0, (byte) (0x80 | c >> 6), (byte) (0x80 | c & 0x3F)});
        Arbitrary<byte[]> four = Arbitraries.integers().between(0, 0xFFFF)
                .map(c -> new byte[]{(byte) 0xF0, (byte) (0x80 | c >> 12), (byte) (0x80 | c >> 6 & 0x3F), (byte) (0x80 | c & 0x3F)});
        return Arbitraries.oneOf(two, three, four);
    }

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void encodedSurrogatesAreRefused(@ForAll("surrogates") int surrogate) {
        byte[] cesu = {(byte) (0xE0 | surrogate >> 12), (byte) (0x80 | surrogate >> 6 & 0x3F), (byte) (0x80 | surrogate & 0x3F)};
        assertThrows(InputRefusedException.class, () -> StrictUtf8.decode(cesu, "body"));
    }

    @Provide
    Arbitrary<Integer> surrogates() {
        return Arbitraries.integers().between(0xD800, 0xDFFF);
    }

    @Test
    void theRefusalNamesTheByteOffset() {
        InputRefusedException e = assertThrows(InputRefusedException.class,
                () -> StrictUtf8.decode(new byte[]{'a', 'b', (byte) 0xC0, (byte) 0xAF}, "channels[1]"));
        assertEquals("channels[1]", e.problems().getFirst().field());
        assertTrue(e.problems().getFirst().message().contains("byte 2"), e.getMessage());
    }

    @Test
    void loneSurrogatesAreFoundAndPairsAreNot() {
        assertEquals(1, StrictUtf8.loneSurrogateAt("a\ud800b"));
        assertEquals(0, StrictUtf8.loneSurrogateAt("\udc00"));
        assertEquals(-1, StrictUtf8.loneSurrogateAt("a\ud83d\ude00b"));
    }
}
