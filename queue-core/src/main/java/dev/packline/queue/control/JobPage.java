package dev.packline.queue.control;

import dev.packline.queue.JobRecord;

import java.util.List;
import java.util.Optional;

/**
 * One page of a job listing: the jobs found, and the cursor of the next page, empty at the end.
 * {@code scanned} is how many jobs of the state were looked at to fill it (a narrow filter may
 * scan many and still return a short page with a next cursor: ask again to go on).
 */
public record JobPage(List<JobRecord> jobs, Optional<String> nextCursor, int scanned) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
