package dev.packline.worker;

/**
 * What a worker process's exit status means; the supervisor, systemd units and Kubernetes all act
 * on the same numbers (docs/operations.md).
 */
public enum ExitCode {
    /** Stopped on request (SIGTERM), or every version it served was retired: do not restart. */
    STOPPED(0),
    /** Crashed with an unexpected error: restart with backoff. (SIGKILL shows as 137.) */
    CRASHED(1),
    /** The configuration is invalid: restarting cannot help. */
    BAD_CONFIG(2),
    /** Finished its maxJobsPerWorker jobs and exited cleanly to be replaced by a fresh process: restart at once. */
    RECYCLE(3);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static boolean isRecycle(int status) {
        return status == RECYCLE.status;
    }
}
