package dev.packline.http.input;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes to text, refusing anything that is not well-formed UTF-8 (RFC 3629): overlong forms,
 * encoded surrogates (CESU-8), code points above U+10FFFF, stray continuation bytes and truncated
 * sequences. Nothing is replaced: a replacement character would make two different inputs the
 * same text.
 */
public final class StrictUtf8 {
    private StrictUtf8() {
    }

    /** The text the bytes encode; {@link InputRefusedException} naming {@code field} and the byte offset otherwise. */
    public static String decode(byte[] bytes, String field) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw refusal(field, in.position(), bytes);
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw refusal(field, in.position(), bytes);
        }
        return out.flip().toString();
    }

    /** Where the text holds a lone UTF-16 surrogate (from a JSON escape of half a surrogate pair), which no UTF-8 text can; -1 when none. */
    public static int loneSurrogateAt(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static InputRefusedException refusal(String field, int offset, byte[] bytes) {
        return InputRefusedException.invalid(field, "not valid UTF-8 at byte " + offset + " (0x"
                + String.format("%02X", bytes[Math.min(offset, bytes.length - 1)] & 0xFF)
                + "): overlong forms, encoded surrogates and other malformed sequences are refused, never replaced");
    }
}
