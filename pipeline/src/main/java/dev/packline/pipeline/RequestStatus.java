package dev.packline.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A request as the API and the admin tool show it. {@code state}: queued, running, done,
 * partly_failed, failed or cancelled; {@code counts} holds stage.outcome counters such as
 * {@code package.done} or {@code upload.dead}; {@code channels} has one entry per channel that
 * reported anything (object key, size, SHA-256, or error); {@code diffs} the patches the request
 * waits for or got (state pending or done, object key, sizes, hashes); {@code running} the last
 * progress report of each channel stage job running now ({@link RunningChannels}).
 */
public record RequestStatus(PackagingRequest request, String state, int total, int ended, int failed,
                            Map<String, Long> counts, long createdAt, Long startedAt, Long finishedAt, boolean cancelRequested,
                            List<Map<String, Object>> channels, List<Map<String, Object>> diffs,
                            List<RunningChannel> running) {

    public int progressPercent() {
        return total == 0 ? 100 : (int) (100L * ended / total);
    }

    public boolean finished() {
        return finishedAt != null;
    }

    /** {@code state} as a type; the record keeps the wire form the API shows. */
    public RequestState requestState() {
        return RequestState.fromWire(state);
    }
}
