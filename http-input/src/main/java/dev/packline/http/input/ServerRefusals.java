package dev.packline.http.input;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

import java.util.List;

/**
 * Answers the refusals the web server makes itself, before any route runs (a request line or
 * headers too large, a Content-Length that is not a number, an unknown Content-Encoding, a bad
 * chunk...), in the documented JSON error shape instead of an empty body. Where the request's
 * framing is at fault, the problem is named by {@link BodyFraming}, the same check routes use;
 * otherwise the status decides the field ({@code path} for 414, {@code headers} for 431).
 */
public final class ServerRefusals implements DirectHandler {
    private final long maxBodyBytes;

    /** @param maxBodyBytes the body limit the server enforces, named in its 413 */
    public ServerRefusals(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus, ServerResponseHeaders responseHeaders,
                                    String message) {
        responseHeaders.set(HeaderNames.CONTENT_TYPE, "application/json");
        TransportResponse.Builder response = TransportResponse.builder().headers(responseHeaders).keepAlive(false);
        // Before any route runs the server only parses what the client sent: its 500 ("Internal error", a parser throwing on
        // bytes such as a NUL before the request line) is a request it could not read, a 400. Other 5xx (503: too many
        // concurrent requests) are the server's own state and stay what they are.
        if (defaultStatus.code() >= 500 && defaultStatus.code() != 500) {
            return response.status(defaultStatus).entity(ErrorBody.bytes(ErrorBody.shape(defaultStatus.code(), "internal",
                    message == null || message.isBlank() ? defaultStatus.reasonPhrase() : firstLine(message), List.of(), null))).build();
        }
        InputRefusedException refusal = refusal(request, defaultStatus, message, maxBodyBytes);
        return response.status(Status.create(refusal.status())).entity(ErrorBody.of(refusal)).build();
    }

    /** The server's message without the dump of the request it may append: its first line, at most 160 characters. */
    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        line = line.endsWith(":") ? line.substring(0, line.length() - 1).trim() : line;
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    static InputRefusedException refusal(TransportRequest request, Status status, String message, long maxBodyBytes) {
        BodyFraming.Verdict framing = BodyFraming.check(request.headers());
        if (!framing.trusted()) {
            return framing.refusal();
        }
        // Helidon refuses oversized headers with a plain 400 whose message is its only mark; 431 says what happened
        int code = status.code() == 400 && message != null && message.startsWith("Header size exceeded") ? 431 : status.code();
        String said = message == null || message.isBlank() ? status.reasonPhrase() : firstLine(message);
        return switch (code) {
            case 413 -> new InputRefusedException(413, List.of(new InputProblem("body", ProblemKind.BODY_TOO_LARGE,
                    "larger than the limit of " + maxBodyBytes + " bytes")), true);
            case 414 -> new InputRefusedException(414, List.of(new InputProblem("path", ProblemKind.HEADERS_TOO_LARGE,
                    "the request line (method, path and query) is longer than the server reads: " + said)), true);
            case 431 -> new InputRefusedException(431, List.of(new InputProblem("headers", ProblemKind.HEADERS_TOO_LARGE,
                    "the headers are larger than the server reads: " + said)), true);
            default -> new InputRefusedException(code >= 400 && code < 500 ? code : 400,
                    List.of(InputProblem.invalid("request", "refused by the web server: " + said)), true);
        };
    }
}
