package dev.packline.http.input;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Query and form values to bytes: escapes of ASCII hex digits only, '+' a space, unescaped bytes by the caller's rule. */
class PercentDecodingTest {
    private static byte[] bytes(String raw, PercentDecoding.Unescaped unescaped) {
        return PercentDecoding.decode(raw, "name", unescaped);
    }

    @Test
    void escapesAndPlusesAreBytes() {
        assertArrayEquals("a b/华".getBytes(StandardCharsets.UTF_8), bytes("a+b%2F%E5%8D%8e", PercentDecoding.Unescaped.REFUSED));
        assertArrayEquals(new byte[0], bytes("", PercentDecoding.Unescaped.REFUSED));
    }

    @Test
    void anEscapeTakesAsciiHexDigitsOnly() {
        for (String raw : new String[]{"%", "%4", "%G1", "%٣٣", "a%2"}) { // Arabic-Indic digits are digits to Character.digit
            InputRefusedException e = assertThrows(InputRefusedException.class, () -> bytes(raw, PercentDecoding.Unescaped.BYTES), raw);
            assertEquals("name", e.problems().getFirst().field());
            assertTrue(e.problems().getFirst().message().startsWith("a malformed percent-escape at character"), e.getMessage());
        }
    }

    @Test
    void unescapedBytesAreTakenOrRefusedAsTheCallerSays() {
        String rawUtf8 = new String("华".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1); // a request line's bytes
        assertArrayEquals("华".getBytes(StandardCharsets.UTF_8), bytes(rawUtf8, PercentDecoding.Unescaped.BYTES));
        assertThrows(InputRefusedException.class, () -> bytes(rawUtf8, PercentDecoding.Unescaped.REFUSED));
        assertThrows(InputRefusedException.class, () -> bytes("a\u0007b", PercentDecoding.Unescaped.BYTES), "control characters never");
        assertThrows(InputRefusedException.class, () -> bytes("华", PercentDecoding.Unescaped.BYTES), "a character no byte stands for");
    }
}
