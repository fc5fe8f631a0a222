package dev.packline.demo.system;

import dev.packline.demo.ServiceProcesses;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;

import java.time.Duration;

/** Waiting for a request that system tests submit straight to Redis (no API process) to finish. */
final class FinishedRequests {
    private FinishedRequests() {
    }

    /** The request's status once finished; fails after {@code timeout}, or at once when a service process died. */
    static RequestStatus await(RequestStore requests, ServiceProcesses services, String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            RequestStatus status = requests.status(id).orElse(null);
            if (status != null && status.finished()) {
                return status;
            }
            services.checkAlive();
            Thread.sleep(100);
        }
        throw new AssertionError("request " + id + " did not finish within " + timeout + ": " + requests.status(id).orElse(null));
    }
}
