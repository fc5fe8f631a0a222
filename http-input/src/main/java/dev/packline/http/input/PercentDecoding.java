package dev.packline.http.input;

import java.io.ByteArrayOutputStream;

/**
 * The bytes a query string's or a form body's value stands for ({@code application/x-www-form-urlencoded}):
 * {@code +} is a space and {@code %XX} (two ASCII hex digits) a byte. The text is read as the request
 * carried it, one character per byte. What the bytes then say is for {@link StrictUtf8} to decide.
 */
public final class PercentDecoding {
    /** What a character the encoder should have escaped is. */
    public enum Unescaped {
        /** taken as the byte it is: a request line may carry unescaped UTF-8 */
        BYTES,
        /** refused: a form encoder escapes every byte outside printable ASCII */
        REFUSED
    }

    private PercentDecoding() {
    }

    /** The bytes of {@code raw}, or {@link InputRefusedException} naming {@code field} and where the problem is. */
    public static byte[] decode(String raw, String field, Unescaped unescaped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hex(raw.charAt(i + 2));
                if (high < 0 || low < 0) {
                    throw InputRefusedException.invalid(field, "a malformed percent-escape at character " + i
                            + " (a '%' must be followed by two hex digits)");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c >= 0x20 && c <= 0x7e) {
                bytes.write(c);
            } else if (c > 0xff) {
                throw InputRefusedException.invalid(field, "holds a character a request cannot carry");
            } else if (unescaped == Unescaped.BYTES && c >= 0x80) {
                bytes.write(c);
            } else {
                throw InputRefusedException.invalid(field, "a raw byte 0x" + Integer.toHexString(c) + " at character " + i
                        + " that an encoder would have escaped");
            }
        }
        return bytes.toByteArray();
    }

    /** An ASCII hex digit's value, else -1 ({@link Character#digit} would also take other scripts' digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
