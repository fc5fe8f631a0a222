package dev.packline.worker.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestProblem;
import dev.packline.pipeline.StaleRequests;
import dev.packline.pipeline.PublisherRequestIndex;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.Job;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.StagedObjects;
import dev.packline.settings.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The {@code housekeeping} queue's stage: work that belongs to nobody's request, usually enqueued
 * by a schedule ({@code bin/packline admin schedule set --queue housekeeping ...}). The payload
 * names the task:
 * <ul>
 *   <li>{@code {"task": "trim-requests", "olderThan": "30d"}}: removes request records that never
 *       finished and are older than that ({@link StaleRequests}); finished ones expire by themselves.</li>
 *   <li>{@code {"task": "submit-request", "request": {...}}}: a recurring packaging request: the
 *       request as {@code POST /v1/jobs} takes it plus its {@code publisher}; its id is derived from
 *       the job id ({@code sched:NAME:TICK}), so a redelivered job submits nothing twice. It goes into
 *       the publisher's index as a submit through the API does, so {@code GET /v1/jobs} lists it.</li>
 *   <li>{@code {"task": "expire-staged", "idle": "7d"}}: deletes the mothers staged in the stores
 *       for part copies that no upload used for that long ({@link StagedObjects}).</li>
 * </ul>
 * An unknown task or a bad request is bad input, dead-lettered at once with the reason.
 */
public final class HousekeepingStage implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(HousekeepingStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TASKS = List.of("trim-requests", "submit-request", "expire-staged");
    private static final Duration DEFAULT_IDLE = Duration.ofDays(7);
    private static final int EXPIRE_BATCH = 1_000;
    private static final Duration DEFAULT_OLDER_THAN = Duration.ofDays(30);
    private static final long MAX_TRIMMED = 100_000;

    private final StaleRequests stale;
    private final Submitter submitter;
    private final PublisherRequestIndex index;
    private final Map<String, ObjectStore> stores;
    private final StagedObjects staged;

    public HousekeepingStage(StaleRequests stale, Submitter submitter, PublisherRequestIndex index, Map<String, ObjectStore> stores,
                             StagedObjects staged) {
        this.stale = stale;
        this.submitter = submitter;
        this.index = index;
        this.stores = Map.copyOf(stores);
        this.staged = staged;
    }

    @Override
    public void handle(Job job) throws Exception {
        JsonNode payload;
        try {
            payload = JSON.readTree(job.payload());
        } catch (IOException e) {
            throw new RejectJobException("housekeeping job " + job.id() + " is not JSON: " + e.getMessage(), e);
        }
        String task = payload == null ? "" : payload.path("task").asText("");
        switch (task) {
            case "trim-requests" -> trimRequests(job, payload);
            case "submit-request" -> submitRequest(job, payload);
            case "expire-staged" -> expireStaged(job, payload);
            default -> throw new RejectJobException("housekeeping job " + job.id() + " names task '" + task + "'; known tasks: " + TASKS);
        }
    }

    private void trimRequests(Job job, JsonNode payload) throws RejectJobException {
        Duration olderThan = duration(job, payload, "olderThan", DEFAULT_OLDER_THAN);
        StaleRequests.Trim trim;
        try {
            trim = stale.trim(olderThan, MAX_TRIMMED);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new RejectJobException("trim-requests cannot scan this Redis (a Cluster client?): " + e.getMessage(), e);
        }
        log.info("trim-requests: {} request records looked at, {} unfinished ones older than {} removed", trim.examined(), trim.removed(), olderThan);
    }

    private void expireStaged(Job job, JsonNode payload) throws RejectJobException, IOException {
        Duration idle = duration(job, payload, "idle", DEFAULT_IDLE);
        for (ObjectStore store : stores.values()) {
            List<String> keys = staged.idle(store.name(), idle, EXPIRE_BATCH);
            for (String key : keys) {
                store.delete(key); // deleting what is gone already is fine: the store's delete is idempotent
                staged.forget(store.name(), key);
            }
            if (!keys.isEmpty()) {
                log.info("expire-staged: {} staged objects unused for {} deleted from store {}", keys.size(), idle, store.name());
            }
        }
    }

    private static Duration duration(Job job, JsonNode payload, String field, Duration fallback) throws RejectJobException {
        if (!payload.hasNonNull(field)) {
            return fallback;
        }
        try {
            return Settings.parseDuration(payload.get(field).asText());
        } catch (IllegalArgumentException e) {
            throw new RejectJobException("housekeeping job " + job.id() + ": " + field + ": " + e.getMessage(), e);
        }
    }

    private void submitRequest(Job job, JsonNode payload) throws RejectJobException {
        if (!payload.path("request").isObject()) {
            throw new RejectJobException("housekeeping job " + job.id() + ": submit-request needs a \"request\" object");
        }
        ObjectNode spec = ((ObjectNode) payload.get("request")).deepCopy();
        spec.put("id", requestId(job.id()));
        if (spec.path("channels").isArray()) { // a plain name is {"name": it}, as POST /v1/jobs takes it
            com.fasterxml.jackson.databind.node.ArrayNode channels = JSON.createArrayNode();
            spec.get("channels").forEach(c -> channels.add(c.isTextual() ? JSON.createObjectNode().put("name", c.asText()) : c));
            spec.set("channels", channels);
        }
        PackagingRequest request;
        try {
            request = PackagingRequest.fromJson(JSON.writeValueAsString(spec));
        } catch (IllegalArgumentException | IOException e) {
            throw new RejectJobException("housekeeping job " + job.id() + ": " + e.getMessage(), e);
        }
        List<RequestProblem> problems = request.problems();
        if (!problems.isEmpty()) {
            throw new RejectJobException("housekeeping job " + job.id() + ": invalid packaging request: "
                    + String.join("; ", problems.stream().map(RequestProblem::toString).toList()));
        }
        boolean created = submitter.submit(request);
        // also on a redelivery: a delivery that died between the submit and this line left no entry (the add keeps a first one)
        index.add(request.publisher(), request.id(), request.appId(), request.channels().size());
        log.info("submit-request: request {} of publisher {} ({} channels) {}", request.id(), request.publisher(), request.channels().size(),
                created ? "submitted" : "was submitted before (redelivery); its jobs are enqueued");
    }

    /** The request id of a scheduled submit: the same for every delivery of the tick's job. */
    static String requestId(String jobId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(jobId.getBytes(StandardCharsets.UTF_8));
            return "s" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
