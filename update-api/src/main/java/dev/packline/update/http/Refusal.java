package dev.packline.update.http;

import dev.packline.http.input.ErrorBody;
import dev.packline.http.input.InputProblem;
import dev.packline.http.input.InputRefusedException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A refusal as a route answers it, whichever part refused: http-input's strict path (malformed
 * input) or a handler ({@link CallRefused}). The native routes send it in the shape every app
 * shares ({@link ErrorBody}); the compatibility route in its own.
 *
 * @param reason          the {@code reason} tag
 * @param message         names every field at fault, so a body without {@code problems} (the compatibility route's) still says them
 * @param closeConnection the request's framing cannot be trusted: the answer closes the connection
 */
public record Refusal(int status, String reason, String message, List<ErrorBody.Entry> problems, boolean closeConnection) {

    /** Fields named in one message; the body's {@code problems} lists more. */
    private static final int NAMED_IN_MESSAGE = 10;

    public static Refusal of(CallRefused e) {
        return new Refusal(e.status(), e.why().tag(), e.getMessage(), List.of(), false);
    }

    public static Refusal of(InputRefusedException e) {
        List<InputProblem> problems = e.problems();
        String message = problems.stream().limit(NAMED_IN_MESSAGE).map(p -> p.field() + ": " + p.message())
                .collect(Collectors.joining("; ")) + (problems.size() > NAMED_IN_MESSAGE ? "; and " + (problems.size() - NAMED_IN_MESSAGE) + " more" : "");
        return new Refusal(e.status(), e.kind().tag(), message, problems.stream().map(ErrorBody.Entry::of).toList(), e.closeConnection());
    }

    /** The native routes' body: {@code {"error": {"status", "reason", "message", "problems"}}}. */
    public Object nativeBody() {
        return ErrorBody.shape(status, reason, message, problems, null);
    }
}
