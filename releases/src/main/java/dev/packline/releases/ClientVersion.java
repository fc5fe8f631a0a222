package dev.packline.releases;

import java.util.Arrays;

/**
 * A client's version as it reports it: a dotted number ({@code 2.4.1}) or an Android version code
 * ({@code 105}). Compared part by part as numbers; missing parts count as zero, so {@code 2.4} and
 * {@code 2.4.0} are equal.
 */
public record ClientVersion(String text, long[] parts) implements Comparable<ClientVersion> {
    private static final int MAX_PARTS = 6;
    private static final int MAX_DIGITS = 12;

    /** The version, or an {@link IllegalArgumentException} naming what is wrong. */
    public static ClientVersion parse(String text) {
        long[] parts = parts(text);
        if (parts == null) {
            throw new IllegalArgumentException("a version is 1 to 6 dot-separated numbers such as 2.4.1 or 105, got '"
                    + (text == null ? "" : text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
        return new ClientVersion(text, parts);
    }

    public static boolean valid(String text) {
        return parts(text) != null;
    }

    /**
     * The numbers of a version written {@code \d{1,12}(\.\d{1,12}){0,5}} (ASCII digits only), or null when
     * it is not one. Read by hand: a client's version is parsed on every check, and a regular
     * expression, a split and a stream per call were a measurable part of the check route.
     */
    private static long[] parts(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '.') {
                n++;
            }
        }
        if (n > MAX_PARTS) {
            return null;
        }
        long[] parts = new long[n];
        int part = 0;
        int digits = 0;
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return null;
                }
                parts[part++] = value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < MAX_DIGITS) {
                value = value * 10 + (c - '0');
                digits++;
            } else {
                return null;
            }
        }
        if (digits == 0) {
            return null;
        }
        parts[part] = value;
        return parts;
    }

    @Override
    public int compareTo(ClientVersion other) {
        int n = Math.max(parts.length, other.parts.length);
        for (int i = 0; i < n; i++) {
            int c = Long.compare(i < parts.length ? parts[i] : 0, i < other.parts.length ? other.parts[i] : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Whether the first {@code prefix.length} parts are equal to {@code prefix}. */
    boolean startsWith(long[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((i < parts.length ? parts[i] : 0) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        // consistent with equals, which compares as numbers with missing parts zero: 2.4, 2.4.0 and 02.4 are equal
        int end = parts.length;
        while (end > 0 && parts[end - 1] == 0) {
            end--;
        }
        return Arrays.hashCode(Arrays.copyOf(parts, end));
    }

    @Override
    public String toString() {
        return text;
    }
}
