package dev.packline.console.web;

/**
 * A page or action the console refuses, with its HTTP status and a sentence for the person in front
 * of it: 403 (the role does not allow it, or the form's CSRF token is missing or wrong), 404 (no such
 * queue, job, app, release or request, or one the viewer may not see: both read the same), 409 (the
 * state does not allow it). Shown as an error page ({@link Page#error}).
 */
public final class ConsoleRefusal extends RuntimeException {
    private final int status;

    public ConsoleRefusal(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ConsoleRefusal forbidden(String message) {
        return new ConsoleRefusal(403, message);
    }

    public static ConsoleRefusal notFound(String message) {
        return new ConsoleRefusal(404, message);
    }

    public static ConsoleRefusal conflict(String message) {
        return new ConsoleRefusal(409, message);
    }

    public int status() {
        return status;
    }
}
