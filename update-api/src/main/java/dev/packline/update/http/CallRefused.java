package dev.packline.update.http;

import java.util.List;
import java.util.Locale;

/**
 * A call the update API refuses: HTTP status, why, a message, and per field what is wrong. Thrown
 * by handlers and turned into the answer in one place ({@link UpdateRoutes}), in the route's shape.
 */
public final class CallRefused extends RuntimeException {

    /** Why, also the {@code reason} tag of {@code packline_update_refused_total}. */
    public enum Why {
        INVALID_REQUEST, MISSING_FIELD, UNKNOWN_DEPLOYMENT, NOT_FOUND, BODY_TOO_LARGE, RATE_LIMITED, UNAVAILABLE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One problem with one field ({@code clientVersion}, {@code X-Client-Id}...). */
    public record Problem(String field, Why why, String message) {
    }

    private final int status;
    private final Why why;
    private final List<Problem> problems;

    public CallRefused(int status, Why why, String message, List<Problem> problems) {
        super(message);
        this.status = status;
        this.why = why;
        this.problems = List.copyOf(problems);
    }

    public static CallRefused of(int status, Why why, String message) {
        return new CallRefused(status, why, message, List.of());
    }

    /** 400 naming every problem at once. */
    public static CallRefused fields(List<Problem> problems) {
        StringBuilder message = new StringBuilder();
        for (Problem p : problems) {
            message.append(message.isEmpty() ? "" : "; ").append(p.field()).append(": ").append(p.message());
        }
        boolean onlyMissing = problems.stream().allMatch(p -> p.why() == Why.MISSING_FIELD);
        return new CallRefused(400, onlyMissing ? Why.MISSING_FIELD : Why.INVALID_REQUEST, message.toString(), problems);
    }

    public int status() {
        return status;
    }

    public Why why() {
        return why;
    }

    public List<Problem> problems() {
        return problems;
    }
}
