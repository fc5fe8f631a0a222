package dev.packline.releases;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * The client versions a release applies to, written as text:
 * <ul>
 *   <li>{@code *}: every version;</li>
 *   <li>{@code 2.4.x}: every version starting with 2.4 (a JS bundle that needs native 2.4);</li>
 *   <li>comparisons joined by spaces, all of which must hold: {@code >=2.0 <3}, {@code <105}
 *       (an APK release for older version codes), {@code =2.4.1} or just {@code 2.4.1}.</li>
 * </ul>
 */
public final class VersionRange {
    public static final VersionRange ANY = new VersionRange("*", List.of());

    private enum Op { LT, LE, GT, GE, EQ, PREFIX }

    private record Term(Op op, ClientVersion version) {
        boolean holds(ClientVersion v) {
            int c = v.compareTo(version);
            return switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case EQ -> c == 0;
                case PREFIX -> v.startsWith(version.parts());
            };
        }
    }

    private final String text;
    private final List<Term> terms;

    private VersionRange(String text, List<Term> terms) {
        this.text = text;
        this.terms = List.copyOf(terms);
    }

    /** The range, or an {@link IllegalArgumentException} naming what is wrong. */
    @JsonCreator
    public static VersionRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a version range is '*', '2.4.x' or comparisons such as '>=2.0 <3', got nothing");
        }
        String trimmed = text.trim();
        if (trimmed.equals("*")) {
            return ANY;
        }
        if (trimmed.length() > 100) {
            throw new IllegalArgumentException("a version range is at most 100 characters");
        }
        List<Term> terms = new ArrayList<>();
        for (String part : trimmed.split("\\s+")) {
            terms.add(term(part));
        }
        return new VersionRange(String.join(" ", trimmed.split("\\s+")), terms);
    }

    private static Term term(String part) {
        if (part.endsWith(".x") || part.endsWith(".*")) {
            return new Term(Op.PREFIX, ClientVersion.parse(part.substring(0, part.length() - 2)));
        }
        for (Op op : List.of(Op.GE, Op.LE, Op.GT, Op.LT, Op.EQ)) {
            String symbol = switch (op) {
                case GE -> ">=";
                case LE -> "<=";
                case GT -> ">";
                case LT -> "<";
                default -> "=";
            };
            if (part.startsWith(symbol)) {
                return new Term(op, ClientVersion.parse(part.substring(symbol.length())));
            }
        }
        if (!ClientVersion.valid(part)) {
            throw new IllegalArgumentException("'" + part + "' in a version range is neither a version (2.4.1), a prefix (2.4.x) nor a comparison (>=2.4)");
        }
        return new Term(Op.EQ, ClientVersion.parse(part));
    }

    public boolean contains(ClientVersion version) {
        for (Term t : terms) {
            if (!t.holds(version)) {
                return false;
            }
        }
        return true;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionRange r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
