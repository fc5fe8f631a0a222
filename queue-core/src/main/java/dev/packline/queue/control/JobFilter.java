package dev.packline.queue.control;

import dev.packline.queue.JobRecord;

/**
 * Which jobs a listing or a bulk action takes. The queue does not know what payloads mean, so a
 * search by a payload's field (for example the pipeline's {@code requestId}) names the field:
 * {@link #payloadField}. Filters are evaluated on the records the broker reads, page by page.
 */
@FunctionalInterface
public interface JobFilter {
    /** Every job. */
    JobFilter ANY = job -> true;

    boolean test(JobRecord job);

    default JobFilter and(JobFilter other) {
        if (this == ANY) {
            return other;
        }
        return other == ANY ? this : job -> test(job) && other.test(job);
    }

    /** Jobs whose JSON payload has this top-level field with this value (a string, or a number or boolean written as text). */
    static JobFilter payloadField(String field, String value) {
        return new PayloadField(field, value);
    }

    /** Jobs whose last error or any error of their history contains the text. */
    static JobFilter errorContains(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an error filter needs some text to look for");
        }
        return job -> (job.lastError() != null && job.lastError().contains(text))
                || job.errorHistory().stream().anyMatch(e -> e.error().contains(text));
    }

    /** Jobs of one group (null or empty: the default group). */
    static JobFilter group(String group) {
        String wanted = group == null ? "" : group;
        return job -> wanted.equals(job.record().get("group") == null ? "" : job.record().get("group").toString());
    }
}
