package dev.packline.http.input;

import java.util.Objects;

/**
 * One problem with one piece of input: the field, header or parameter it is in (as the client
 * named it: {@code channels[3]}, {@code extra.campaign}, {@code Content-Length}, {@code cursor},
 * {@code body} for the body as a whole), what kind of problem, and what is wrong in words.
 */
public record InputProblem(String field, ProblemKind kind, String message) {
    public InputProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static InputProblem invalid(String field, String message) {
        return new InputProblem(field, ProblemKind.INVALID_REQUEST, message);
    }
}
