package dev.packline.releases;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Who a rolling-out release is offered to: the client ids of its whitelist, and its gray cohort:
 * clients whose brand is listed (an empty list means every brand) and whose bucket
 * ({@code rollout.GrayBucket} of {@code salt} and the client id, 0 to 9,999) is below
 * {@code basisPoints} (hundredths of a percent: 3000 is 30%, 1 is 0.01%).
 *
 * @param salt chosen once per release, so different releases lead with different clients
 */
public record Rollout(List<String> whitelist, List<String> brands, int basisPoints, String salt) {
    public static final int ALL = 10_000;
    public static final int MAX_WHITELIST = 100_000;

    public Rollout {
        whitelist = List.copyOf(new TreeSet<>(whitelist));
        brands = List.copyOf(new TreeSet<>(brands.stream().map(Rollout::brandKey).toList()));
        Objects.requireNonNull(salt, "salt");
        if (basisPoints < 0 || basisPoints > ALL) {
            throw new IllegalArgumentException("a gray percentage is 0 to 100 in steps of 0.01, got " + basisPoints / 100.0);
        }
    }

    public static Rollout none(String salt) {
        return new Rollout(List.of(), List.of(), 0, salt);
    }

    public Rollout withWhitelist(List<String> ids) {
        return new Rollout(ids, brands, basisPoints, salt);
    }

    public Rollout withBrands(List<String> newBrands) {
        return new Rollout(whitelist, newBrands, basisPoints, salt);
    }

    public Rollout withBasisPoints(int points) {
        return new Rollout(whitelist, brands, points, salt);
    }

    /**
     * Whether the brand, made a key by {@link #brandKey} (once per check, not once per release), is
     * among the chosen ones; an empty list chooses every brand, a null key none of a non-empty list.
     */
    public boolean brandKeyChosen(String key) {
        return brands.isEmpty() || (key != null && brands.contains(key));
    }

    /** How a brand is compared: lower case, as the chosen brands are kept. */
    public static String brandKey(String brand) {
        return brand.toLowerCase(Locale.ROOT);
    }

    /** A percentage such as "12.5" as basis points, or an {@link IllegalArgumentException} naming the problem. */
    public static int basisPoints(String percent) {
        java.math.BigDecimal value;
        try {
            value = new java.math.BigDecimal(percent.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("a percentage is a number from 0 to 100, got '" + percent + "'");
        }
        java.math.BigDecimal points = value.movePointRight(2);
        if (value.signum() < 0 || value.compareTo(java.math.BigDecimal.valueOf(100)) > 0 || points.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("a percentage is 0 to 100 in steps of 0.01, got '" + percent + "'");
        }
        return points.intValueExact();
    }
}
