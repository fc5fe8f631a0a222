package dev.packline.queue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;

/**
 * What producers use: enqueue one job or a batch, to a queue's current version or to a named one.
 * Payloads must be JSON. Enqueue without a version follows the registry: when the version it read
 * as current starts draining in between, it reads the current version again and retries there.
 */
public final class QueueClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUTING_ATTEMPTS = 3;

    private final QueueBroker broker;

    public QueueClient(QueueBroker broker) {
        this.broker = broker;
    }

    public Enqueued enqueue(String queueName, NewJob job) {
        return enqueueBatch(queueName, List.of(job)).get(0);
    }

    public Enqueued enqueue(QueueVersion queue, NewJob job) {
        return enqueueBatch(queue, List.of(job)).get(0);
    }

    /** Enqueues to the current version of the queue; one round trip per 500 jobs. */
    public List<Enqueued> enqueueBatch(String queueName, List<NewJob> jobs) {
        jobs.forEach(QueueClient::requireJsonPayload);
        VersionNotAcceptingJobsException last = null;
        for (int attempt = 0; attempt < ROUTING_ATTEMPTS; attempt++) {
            QueueVersion current = broker.currentVersion(queueName).orElseThrow(() -> new QueueStateException(
                    "queue '" + queueName + "' does not exist or has no current version; create one first (bin/packline admin version new --queue " + queueName + ")"));
            try {
                return broker.enqueue(current, jobs);
            } catch (VersionNotAcceptingJobsException e) {
                last = e; // the current version changed under us: read it again
            }
        }
        throw last;
    }

    /** Enqueues to exactly this version; refused when it is draining or retired. */
    public List<Enqueued> enqueueBatch(QueueVersion queue, List<NewJob> jobs) {
        jobs.forEach(QueueClient::requireJsonPayload);
        return broker.enqueue(queue, jobs);
    }

    static void requireJsonPayload(NewJob job) {
        try (JsonParser parser = JSON.createParser(job.payload())) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException("job payload is empty; it must be a JSON value");
            }
            parser.skipChildren();
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new IllegalArgumentException("job payload has text after its JSON value (at " + parser.currentLocation().getCharOffset() + ")");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("job payload is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
