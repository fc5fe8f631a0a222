package dev.packline.api.jobs;

import dev.packline.pipeline.PublisherRequestIndex;

/**
 * Every Redis key the API adds beside the pipeline's request keys. All keys of one publisher share
 * the hash tag {@code {pub:NAME}}, so each script touches one slot (Redis Cluster).
 */
public final class ApiKeys {
    private ApiKeys() {
    }

    /** zset: "ID|APP" -> createdAt ms, newest last; bounded by age and count (written by the pipeline's PublisherRequestIndex). */
    public static String requests(String publisher) {
        return PublisherRequestIndex.requestsKey(publisher);
    }

    /** zset: request id -> channels not yet known to have ended, for the channels-in-flight cap (written there too). */
    public static String inflight(String publisher) {
        return PublisherRequestIndex.inFlightKey(publisher);
    }

    /** string: the GCRA theoretical arrival time of the publisher's next submit (ms). */
    public static String rate(String publisher) {
        return "pl:api:{pub:" + publisher + "}:rate";
    }
}
