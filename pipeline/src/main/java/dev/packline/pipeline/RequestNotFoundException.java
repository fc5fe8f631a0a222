package dev.packline.pipeline;

/**
 * The request a call names is not in Redis: it expired (retention passed) or was never created.
 * A named outcome, so callers that expect it (dead-letter handling of an old job) catch this type
 * instead of reading message text.
 */
public final class RequestNotFoundException extends RuntimeException {
    private final String requestId;

    public RequestNotFoundException(String requestId) {
        super("request " + requestId + " does not exist (expired or never created)");
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }
}
