package dev.packline.queue.control;

import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueVersion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists the jobs of a queue version by state, a page at a time, with a filter; finds one job by
 * id; counts and collects the jobs a bulk action takes. Read only.
 *
 * <p>Order: pending oldest first (the plain list, then each priority level, then jobs parked at
 * their group's cap), delayed and retry by due time, running by deadline, dead and finished
 * newest first. A cursor is a position in that order ("p:N"): jobs that leave the state between
 * two pages shift later pages, as with any position paging (asynq's and Sidekiq's alike), so a
 * job may be shown twice or skipped then, never invented. Every job returned was in the asked
 * state when its record was read.
 */
public final class JobBrowser {
    public static final int MAX_LIMIT = 1000;
    /** Jobs looked at for one page before a narrow filter returns a short page with a cursor to go on. */
    static final int SCAN_BUDGET = 5000;
    private static final int READ_BATCH = 200;
    private static final String CURSOR_PREFIX = "p:";

    private final QueueBroker broker;

    public JobBrowser(QueueBroker broker) {
        this.broker = broker;
    }

    /** One job by id, whatever its state. */
    public Optional<JobRecord> find(QueueVersion queue, String id) {
        return broker.job(queue, id);
    }

    /**
     * A page of jobs in {@code state} that pass {@code filter}, from {@code cursor} (null or empty:
     * the first page), at most {@code limit}.
     */
    public JobPage list(QueueVersion queue, JobState state, JobFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_LIMIT + " jobs, got " + limit);
        }
        int position = position(cursor);
        List<JobRecord> found = new ArrayList<>();
        int scanned = 0;
        while (found.size() < limit && scanned < SCAN_BUDGET) {
            List<String> ids = broker.jobIds(queue, state, position, READ_BATCH);
            if (ids.isEmpty()) {
                return new JobPage(found, Optional.empty(), scanned);
            }
            Map<String, JobRecord> records = byId(broker.jobs(queue, ids));
            int looked = 0;
            for (String id : ids) {
                looked++;
                JobRecord record = records.get(id);
                if (record != null && record.state() == state && filter.test(record)) {
                    found.add(record);
                    if (found.size() == limit) {
                        break;
                    }
                }
            }
            position += looked;
            scanned += looked;
            if (ids.size() < READ_BATCH && looked == ids.size()) {
                return new JobPage(found, Optional.empty(), scanned); // the last of the state was looked at
            }
        }
        return new JobPage(found, Optional.of(cursor(position)), scanned);
    }

    /** How many jobs in {@code state} pass {@code filter}; without a filter, from the version's counts. */
    public long count(QueueVersion queue, JobState state, JobFilter filter) {
        if (filter == JobFilter.ANY && state != JobState.DONE && state != JobState.CANCELLED) {
            QueueCounts c = broker.counts(queue);
            return switch (state) {
                case PENDING -> c.pending();
                case DELAYED -> c.delayed();
                case RETRY -> c.retry();
                case ACTIVE -> c.active();
                case DEAD -> c.dead();
                case DONE, CANCELLED -> throw new IllegalStateException("counted by scanning");
            };
        }
        return matchingIds(queue, state, filter).size();
    }

    /** The ids of every job in {@code state} that passes {@code filter}, in listing order: what a bulk action takes. */
    public List<String> matchingIds(QueueVersion queue, JobState state, JobFilter filter) {
        List<String> matching = new ArrayList<>();
        for (int position = 0; ; position += READ_BATCH) {
            List<String> ids = broker.jobIds(queue, state, position, READ_BATCH);
            for (JobRecord record : broker.jobs(queue, ids)) {
                if (record.state() == state && filter.test(record)) {
                    matching.add(record.id());
                }
            }
            if (ids.size() < READ_BATCH) {
                return matching;
            }
        }
    }

    private static Map<String, JobRecord> byId(List<JobRecord> records) {
        Map<String, JobRecord> map = new HashMap<>(records.size() * 2);
        records.forEach(r -> map.put(r.id(), r));
        return map;
    }

    static String cursor(int position) {
        return CURSOR_PREFIX + position;
    }

    static int position(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        if (cursor.startsWith(CURSOR_PREFIX)) {
            try {
                int position = Integer.parseInt(cursor.substring(CURSOR_PREFIX.length()));
                if (position >= 0) {
                    return position;
                }
            } catch (NumberFormatException e) {
                // named below
            }
        }
        throw new IllegalArgumentException("not a job listing cursor: '" + cursor + "'; use the cursor a listing returned, or none for the first page");
    }
}
