package dev.packline.http.input;

import java.text.Normalizer;
import java.util.List;

/**
 * The rule for every name that becomes part of a file name or an object key, or is shown to people
 * as an identity (channel names, app ids, labels): it is converted to Unicode Normalization Form C
 * (NFC), so the same visible name has one encoding, and it is refused when it could spoof or hide
 * text. Refused: an empty name, one longer than the limit (in code points, after normalisation),
 * leading or trailing spaces, and any code point of the general categories Cc (controls), Cf
 * (format: bidirectional embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, marks
 * U+200E, U+200F and U+061C, zero-width characters U+200B-U+200D, U+FEFF, soft hyphen, tags...),
 * Zl, Zp (line and paragraph separators), Zs other than U+0020 (no-break and other spaces), Cs
 * (surrogates), Co (private use) and Cn (unassigned, including the noncharacters), plus the
 * invisible Hangul fillers U+115F, U+1160, U+3164 and U+FFA0.
 */
public final class NameRule {
    private final int maxCodePoints;

    public NameRule(int maxCodePoints) {
        if (maxCodePoints < 1) {
            throw new IllegalArgumentException("a name limit must be positive, got " + maxCodePoints);
        }
        this.maxCodePoints = maxCodePoints;
    }

    /**
     * The name in NFC when it is acceptable; otherwise null, with the problem noted under
     * {@code field}. A null {@code raw} is null with no problem (absence is the caller's to judge).
     */
    public String normalise(String field, String raw, List<InputProblem> problems) {
        if (raw == null) {
            return null;
        }
        if (printableAscii(raw) && !raw.startsWith(" ") && !raw.endsWith(" ") && raw.length() <= maxCodePoints) {
            return raw; // the usual name: no refused character, already NFC, one code point per char; any problem is named below
        }
        String problem = problem(raw);
        if (problem != null) {
            problems.add(InputProblem.invalid(field, problem));
            return null;
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        int length = name.codePointCount(0, name.length());
        if (length > maxCodePoints) {
            problems.add(InputProblem.invalid(field, "longer than " + maxCodePoints + " characters (" + length + " after NFC normalisation)"));
            return null;
        }
        return name;
    }

    /** Whether the name is non-empty and only U+0020 to U+007E (none of them refused, and each its own NFC form). */
    private static boolean printableAscii(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Why the name is refused, before normalisation (normalisation neither adds nor removes these characters), or null. */
    private static String problem(String name) {
        if (name.isEmpty()) {
            return "empty";
        }
        if (name.startsWith(" ") || name.endsWith(" ")) {
            return "starts or ends with a space";
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            String why = refused(c);
            if (why != null) {
                return "contains " + why + " " + codePoint(c) + " at character " + name.codePointCount(0, i)
                        + "; names may not hold characters that reorder, hide or break text";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    private static String refused(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL -> "the control character";
            case Character.FORMAT -> "the format character";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "the line or paragraph separator";
            case Character.SPACE_SEPARATOR -> c == ' ' ? null : "the space character";
            case Character.SURROGATE -> "the lone surrogate";
            case Character.PRIVATE_USE -> "the private-use character";
            case Character.UNASSIGNED -> "the unassigned code point";
            default -> c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 ? "the invisible filler" : null;
        };
    }

    static String codePoint(int c) {
        return String.format("U+%04X", c);
    }
}
