package dev.packline.releases;

import java.util.Locale;

/**
 * How the release model's enums are written for people and on the wire: lower case with '_'
 * ({@code rolling_out}, {@code bundle}); parsing accepts any case and '-' for '_'.
 */
public final class Names {
    private Names() {
    }

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant named {@code text}, or an {@link IllegalArgumentException} listing the accepted names. */
    public static <E extends Enum<E>> E parse(Class<E> type, String text) {
        if (text != null) {
            String upper = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(upper)) {
                    return e;
                }
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.isEmpty() ? "" : ", ").append(of(e));
        }
        throw new IllegalArgumentException("expected one of " + names + ", got '" + text + "'");
    }
}
