package dev.packline.http.input;

import java.util.List;

/**
 * Input refused before anything acted on it: the HTTP status to answer and every problem found.
 * Apps turn it into their JSON error body ({@link ErrorBody}); nothing may have been written for
 * a refused call.
 */
public final class InputRefusedException extends RuntimeException {
    private final int status;
    private final List<InputProblem> problems;
    private final boolean closeConnection;

    /**
     * @param closeConnection true when the request's framing cannot be trusted, so whatever follows
     *                        on the connection is not a next request: the answer must close it
     */
    public InputRefusedException(int status, List<InputProblem> problems, boolean closeConnection) {
        super(summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a refusal names at least one problem");
        }
        this.status = status;
        this.problems = List.copyOf(problems);
        this.closeConnection = closeConnection;
    }

    /** A 400 (or other status) naming one field. */
    public static InputRefusedException of(int status, String field, ProblemKind kind, String message) {
        return new InputRefusedException(status, List.of(new InputProblem(field, kind, message)), false);
    }

    /** A 400 naming one field whose value is not acceptable. */
    public static InputRefusedException invalid(String field, String message) {
        return of(400, field, ProblemKind.INVALID_REQUEST, message);
    }

    public int status() {
        return status;
    }

    public List<InputProblem> problems() {
        return problems;
    }

    /** The kind of the first problem: the refusal's {@code reason}. */
    public ProblemKind kind() {
        return problems.getFirst().kind();
    }

    public boolean closeConnection() {
        return closeConnection;
    }

    private static String summary(List<InputProblem> problems) {
        if (problems.size() == 1) {
            return problems.getFirst().field() + ": " + problems.getFirst().message();
        }
        return problems.size() + " problems with the request";
    }
}
