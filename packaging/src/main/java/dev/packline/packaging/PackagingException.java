package dev.packline.packaging;

/**
 * Why a packaging operation could not be done. The message says what is wrong in the caller's
 * terms ("Malformed APK: not a ZIP archive"); {@link #problem()} says which kind of wrong it is, so
 * the CLI can map it to an exit code and a worker can decide whether retrying could ever help.
 */
public class PackagingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure; the CLI exit codes are documented in docs/packaging.md. */
    public enum Problem {
        /** Missing, contradictory or malformed parameters (channel names, templates, options). */
        INVALID_ARGUMENT(2),
        /** An input file is missing, not a regular file, or not readable. */
        UNREADABLE_INPUT(3),
        /** The input is not a ZIP, not an APK, or its structures are inconsistent. */
        MALFORMED_APK(4),
        /** The APK is not signed, or its signature does not verify. */
        NOT_SIGNED(5),
        /** The APK is well formed and signed, but channels cannot be written into it as asked. */
        REFUSED(6),
        /** A written output failed verification; it was deleted. */
        VERIFICATION_FAILED(7),
        /** An input is too large for the configured heap budget (diffs). */
        OVER_BUDGET(8),
        /** Reading or writing a file failed. */
        IO(9);

        private final int exitCode;

        Problem(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Problem problem;

    public PackagingException(Problem problem, String message) {
        this(problem, message, null);
    }

    public PackagingException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
