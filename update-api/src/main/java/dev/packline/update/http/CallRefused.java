package dev.packline.update.http;

import java.util.Locale;

/**
 * A well-formed call the update API refuses for what it names (an unknown deployment or release),
 * for its rate, or because the catalogue cannot be read: HTTP status, why, a message. Malformed
 * input is refused earlier, by http-input's strict path ({@link dev.packline.http.input.InputRefusedException}).
 * Both are turned into the answer in one place ({@link UpdateRoutes}), in the route's shape.
 */
public final class CallRefused extends RuntimeException {

    /** Why, also the {@code reason} tag of the error body and of {@code packline_update_refused_total}. */
    public enum Why {
        UNKNOWN_DEPLOYMENT, NOT_FOUND, RATE_LIMITED, UNAVAILABLE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int status;
    private final Why why;

    private CallRefused(int status, Why why, String message) {
        super(message);
        this.status = status;
        this.why = why;
    }

    public static CallRefused of(int status, Why why, String message) {
        return new CallRefused(status, why, message);
    }

    public int status() {
        return status;
    }

    public Why why() {
        return why;
    }
}
