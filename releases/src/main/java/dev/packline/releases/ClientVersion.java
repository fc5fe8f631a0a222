package dev.packline.releases;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A client's version as it reports it: a dotted number ({@code 2.4.1}) or an Android version code
 * ({@code 105}). Compared part by part as numbers; missing parts count as zero, so {@code 2.4} and
 * {@code 2.4.0} are equal.
 */
public record ClientVersion(String text, long[] parts) implements Comparable<ClientVersion> {
    private static final Pattern SHAPE = Pattern.compile("\\d{1,12}(\\.\\d{1,12}){0,5}");

    /** The version, or an {@link IllegalArgumentException} naming what is wrong. */
    public static ClientVersion parse(String text) {
        if (text == null || !SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("a version is 1 to 6 dot-separated numbers such as 2.4.1 or 105, got '"
                    + (text == null ? "" : text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
        return new ClientVersion(text, Arrays.stream(text.split("\\.")).mapToLong(Long::parseLong).toArray());
    }

    public static boolean valid(String text) {
        return text != null && SHAPE.matcher(text).matches();
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
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
