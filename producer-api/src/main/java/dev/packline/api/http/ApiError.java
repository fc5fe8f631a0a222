package dev.packline.api.http;

import dev.packline.http.input.InputProblem;
import dev.packline.http.input.InputRefusedException;

import java.util.List;

/**
 * A call the API refuses, with everything its JSON error body says: the HTTP status, the reason,
 * a message, and per field what is wrong. Thrown by handlers, turned into the response in one
 * place ({@link Routes}), so every refusal has the same shape.
 */
public final class ApiError extends RuntimeException {

    /** One problem with one field of the request ({@code channels[3]}, {@code mother}, {@code Idempotency-Key}...). */
    public record Problem(String field, Reason reason, String message) {
    }

    private final int status;
    private final Reason reason;
    private final List<Problem> problems;
    private final Long retryAfterSeconds;

    public ApiError(int status, Reason reason, String message, List<Problem> problems, Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.problems = List.copyOf(problems);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiError of(int status, Reason reason, String message) {
        return new ApiError(status, reason, message, List.of(), null);
    }

    public static ApiError field(int status, Reason reason, String field, String message) {
        return new ApiError(status, reason, field + ": " + message, List.of(new Problem(field, reason, message)), null);
    }

    /** Input the shared decoding path refused, with its status and every problem. */
    public static ApiError of(InputRefusedException e) {
        return new ApiError(e.status(), Reason.of(e.kind()), e.getMessage(), e.problems().stream().map(ApiError::problem).toList(), null);
    }

    public static Problem problem(InputProblem p) {
        return new Problem(p.field(), Reason.of(p.kind()), p.message());
    }

    public static ApiError notFound(String what) {
        return of(404, Reason.NOT_FOUND, what);
    }

    public static ApiError rateLimited(String message, long retryAfterSeconds) {
        return new ApiError(429, Reason.RATE_LIMITED, message, List.of(), Math.max(1, retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    public Reason reason() {
        return reason;
    }

    public List<Problem> problems() {
        return problems;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
