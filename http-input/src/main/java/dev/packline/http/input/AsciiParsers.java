package dev.packline.http.input;

/**
 * Parsers for parameters whose format is ASCII (limits, cursors, ids, ranges): only the ASCII
 * characters the format names are accepted. The JDK's own parsers accept other scripts' digits
 * ({@code Integer.parseInt("٥")} is 5) and {@code Character.isDigit} says yes to them, which lets
 * a value pass a check and then fail further in. Every failure is an
 * {@link InputRefusedException} (400) naming the parameter.
 */
public final class AsciiParsers {
    /** Digits of the largest long. */
    private static final int MAX_LONG_DIGITS = 19;

    private AsciiParsers() {
    }

    /** A whole number of ASCII digits {@code 0-9} only (no sign, no spaces), within {@code [min, max]}. */
    public static long wholeNumber(String field, String text, long min, long max) {
        if (!isDigits(text) || text.length() > MAX_LONG_DIGITS) {
            throw InputRefusedException.invalid(field, "a whole number from " + min + " to " + max + " in ASCII digits, got " + quote(text));
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1; // 19 digits above Long.MAX_VALUE
        }
        if (value < min || value > max) {
            throw InputRefusedException.invalid(field, "a whole number from " + min + " to " + max + ", got " + quote(text));
        }
        return value;
    }

    /** Whether the text is one or more ASCII digits {@code 0-9}. */
    public static boolean isDigits(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The text when it is {@code minLength} to {@code maxLength} characters, each an ASCII letter,
     * digit or one of {@code extra}; a refusal naming {@code field} and {@code what} otherwise.
     */
    public static String token(String field, String text, int minLength, int maxLength, String extra, String what) {
        boolean ok = text != null && text.length() >= minLength && text.length() <= maxLength;
        for (int i = 0; ok && i < text.length(); i++) {
            char c = text.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || extra.indexOf(c) >= 0;
        }
        if (!ok) {
            throw InputRefusedException.invalid(field, what + ": " + minLength + " to " + maxLength + " ASCII letters, digits"
                    + (extra.isEmpty() ? "" : " or any of '" + extra + "'") + ", got " + quote(text));
        }
        return text;
    }

    /** The text when it is {@code minLength} to {@code maxLength} visible ASCII characters (0x21 to 0x7E). */
    public static String visible(String field, String text, int minLength, int maxLength) {
        boolean ok = text != null && text.length() >= minLength && text.length() <= maxLength;
        for (int i = 0; ok && i < text.length(); i++) {
            ok = text.charAt(i) >= 0x21 && text.charAt(i) <= 0x7e;
        }
        if (!ok) {
            throw InputRefusedException.invalid(field, minLength + " to " + maxLength + " visible ASCII characters");
        }
        return text;
    }

    /** A value for a message: quoted, cut at 40 characters, anything but visible ASCII as an escape; never a wall of attacker text. */
    static String quote(String text) {
        if (text == null) {
            return "nothing";
        }
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < Math.min(text.length(), 40); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c <= 0x7e ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.append(text.length() > 40 ? "...'" : "'").toString();
    }
}
