package dev.packline.queue.upgrade;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One routing rule of a queue: new jobs whose feature matches ({@code feature}, {@code operator},
 * {@code values}; no feature: every job) and whose request falls in the rule's share go to
 * {@code version} instead of the current one. The share is a stable percentage: the bucket of a
 * request is a hash of the rule id and the request's sticky key, so every job of a request lands
 * on the same version, a request resubmitted lands where it did, and raising the share only adds
 * requests to those already routed (the same idea as a gray release's bucket).
 *
 * @param share basis points of matching requests routed: 10000 = all of them, 1000 = 10%
 */
public record RouteRule(String id, int version, String feature, Operator operator, List<String> values, int share, long createdAt) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final int ALL = StableBucket.ALL;

    /** How a job's feature is compared with the rule's values. */
    public enum Operator {
        /** the feature is one of the values */
        IN("="),
        /** the feature is a number at least the value (request size: channels>=500) */
        AT_LEAST(">="),
        /** the feature is a number below the value */
        BELOW("<");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    public RouteRule {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("route name '" + id + "' must be 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        if (version < 1) {
            throw new IllegalArgumentException("route target version must be 1 or more, got " + version);
        }
        if (share < 0 || share > ALL) {
            throw new IllegalArgumentException("route share must be between 0% and 100%, got " + share / 100.0 + "%");
        }
        values = values == null ? List.of() : List.copyOf(values);
        if (feature != null && (operator == null || values.isEmpty())) {
            throw new IllegalArgumentException("route on feature '" + feature + "' needs an operator and at least one value");
        }
        if (feature != null && operator != Operator.IN) {
            if (values.size() != 1) {
                throw new IllegalArgumentException("route on " + feature + operator.symbol + " takes one number, got " + values);
            }
            try {
                Double.parseDouble(values.get(0));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("route on " + feature + operator.symbol + " takes a number, got '" + values.get(0) + "'");
            }
        }
    }

    /**
     * Reads a match written the admin's way: {@code appId=com.a,com.b}, {@code channels>=500},
     * {@code channels<10}; null or empty: every job.
     */
    public static RouteRule parse(String id, int version, String match, int share, long createdAt) {
        if (match == null || match.isBlank()) {
            return new RouteRule(id, version, null, null, List.of(), share, createdAt);
        }
        for (Operator operator : List.of(Operator.AT_LEAST, Operator.BELOW, Operator.IN)) {
            int at = match.indexOf(operator.symbol);
            if (at > 0) {
                String feature = match.substring(0, at).trim();
                List<String> values = List.of(match.substring(at + operator.symbol.length()).split(",")).stream()
                        .map(String::trim).filter(v -> !v.isEmpty()).toList();
                return new RouteRule(id, version, feature, operator, values, share, createdAt);
            }
        }
        throw new IllegalArgumentException("route match '" + match + "' must be FEATURE=V1,V2 or FEATURE>=N or FEATURE<N");
    }

    /** Reads a share written as {@code 10%}, {@code 2.5%} or {@code 100%} into basis points. */
    public static int parseShare(String text) {
        String t = text.trim();
        if (!t.endsWith("%")) {
            throw new IllegalArgumentException("share '" + text + "' must be a percentage, e.g. 10%");
        }
        try {
            double percent = Double.parseDouble(t.substring(0, t.length() - 1));
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("share '" + text + "' must be between 0% and 100%");
            }
            return (int) Math.round(percent * 100);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("share '" + text + "' is not a number followed by %");
        }
    }

    /** Whether this rule sends the request's job to its version. */
    public boolean routes(RouteRequest request) {
        return matches(request) && bucket(request.stickyKey()) < share;
    }

    boolean matches(RouteRequest request) {
        if (feature == null) {
            return true;
        }
        String value = request.features().get(feature);
        if (value == null) {
            return false;
        }
        return switch (operator) {
            case IN -> values.contains(value);
            case AT_LEAST, BELOW -> {
                try {
                    double number = Double.parseDouble(value);
                    double limit = Double.parseDouble(values.get(0));
                    yield operator == Operator.AT_LEAST ? number >= limit : number < limit;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
        };
    }

    /** The request's bucket for this rule, 0 to 9999 (see {@link StableBucket}). */
    int bucket(String stickyKey) {
        return StableBucket.of(id, stickyKey);
    }

    /** How the admin sees the rule: {@code canary: 10% of appId=com.a -> v2}. */
    public String describe() {
        String what = feature == null ? "all jobs" : feature + operator.symbol + String.join(",", values);
        return id + ": " + (share / 100.0) + "% of " + what + " by request -> v" + version;
    }
}
