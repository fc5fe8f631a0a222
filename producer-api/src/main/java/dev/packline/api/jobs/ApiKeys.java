package dev.packline.api.jobs;

/**
 * Every Redis key the API adds beside the pipeline's request keys. All keys of one publisher share
 * the hash tag {@code {pub:NAME}}, so each script touches one slot (Redis Cluster).
 */
public final class ApiKeys {
    private ApiKeys() {
    }

    /** zset: "ID|APP" -> createdAt ms, newest last; bounded by age and count. */
    public static String requests(String publisher) {
        return "pl:api:{pub:" + publisher + "}:requests";
    }

    /** zset: request id -> channels not yet known to have ended, for the channels-in-flight cap. */
    public static String inflight(String publisher) {
        return "pl:api:{pub:" + publisher + "}:inflight";
    }

    /** string: the GCRA theoretical arrival time of the publisher's next submit (ms). */
    public static String rate(String publisher) {
        return "pl:api:{pub:" + publisher + "}:rate";
    }
}
