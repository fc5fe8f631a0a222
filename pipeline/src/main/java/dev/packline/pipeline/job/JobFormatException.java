package dev.packline.pipeline.job;

/** A stage job's payload could not be read; {@link #problem()} says whether the job is at fault. The message completes "payload of job X ...". */
public final class JobFormatException extends Exception {
    public enum Problem {
        /** Not JSON, a required field missing, a field of the wrong type: the job is bad input and never will be read. */
        MALFORMED,
        /** Written in a newer payload format than this worker reads: a newer worker can run it. */
        NEWER_FORMAT
    }

    private final Problem problem;

    JobFormatException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
