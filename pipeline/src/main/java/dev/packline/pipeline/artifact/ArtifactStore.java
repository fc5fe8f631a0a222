package dev.packline.pipeline.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.pipeline.Keys;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Submitted bundles and offline packages in Redis: each submission's state (a hash under
 * {@code {art:ID}}, expiring a retention after it was made) and, per (app, kind, name), the
 * versions stored so far (a hash by SHA-256 and a zset in storing order, under one tag), which the
 * next submission is diffed against. A submission moves {@code pending} to {@code stored} (its
 * increments are then planned on the diff queue) or to {@code failed} (the file was refused).
 */
public final class ArtifactStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A planned increment of a submission, from an earlier version to it. */
    public record PlannedIncrement(PatchFormat format, String fromVersion, String fromSha256, String toSha256) {
    }

    /** A submission as read back; {@code stored} empty until its file is stored. */
    public record Status(ArtifactSubmission submission, String state, Optional<StoredArtifact> stored, List<PlannedIncrement> increments,
                         Optional<String> error, long createdAt) {
    }

    private final UnifiedJedis redis;
    private final Clock clock;
    private final Duration retention;

    public ArtifactStore(UnifiedJedis redis, Clock clock, Duration retention) {
        this.redis = redis;
        this.clock = clock;
        this.retention = retention;
    }

    /** Records a new submission as pending; false when one with that id exists. */
    public boolean create(ArtifactSubmission submission) {
        String key = Keys.artifact(submission.id());
        String spec = write(submission);
        return RedisErrors.call("create artifact " + submission.id(), () -> {
            if (redis.hsetnx(key, "spec", spec) == 0) {
                return false;
            }
            redis.hset(key, Map.of("state", "pending", "createdAt", Long.toString(clock.millis())));
            redis.expire(key, retention.toSeconds());
            return true;
        });
    }

    /**
     * Records the submission's file as stored and as the newest version of its (app, kind, name);
     * returns up to {@code earlier} versions stored before it, newest first (the same bytes stored
     * under another version are skipped: there is nothing to diff).
     */
    public List<StoredArtifact> stored(ArtifactSubmission s, StoredArtifact file) {
        String versions = Keys.artifactVersions(s.appId(), s.kind().wireName(), s.name());
        String history = Keys.artifactHistory(s.appId(), s.kind().wireName(), s.name());
        String json = write(file);
        return RedisErrors.call("record stored artifact " + s.id(), () -> {
            redis.hset(versions, file.sha256(), json);
            List<String> newestFirst = redis.zrevrange(history, 0, s.increments() + 1L);
            redis.zadd(history, file.storedAt(), file.sha256()); // stored again (a rollback): it is the newest version now
            redis.hset(Keys.artifact(s.id()), Map.of("state", "stored", "stored", json));
            List<StoredArtifact> earlier = new ArrayList<>();
            for (String sha : newestFirst) {
                if (earlier.size() == s.increments()) {
                    break;
                }
                String record = sha.equals(file.sha256()) ? null : redis.hget(versions, sha);
                if (record != null) {
                    earlier.add(read(record, StoredArtifact.class));
                }
            }
            return earlier;
        });
    }

    /** Links the increments planned for the submission (shown with its status). */
    public void planned(String submissionId, List<PlannedIncrement> increments) {
        String json = write(increments);
        RedisErrors.call("record planned increments of " + submissionId, () -> redis.hset(Keys.artifact(submissionId), "increments", json));
    }

    /** The file was refused or could not be stored for good. */
    public void failed(String submissionId, String error) {
        RedisErrors.call("record failed artifact " + submissionId,
                () -> redis.hset(Keys.artifact(submissionId), Map.of("state", "failed", "error", error)));
    }

    public Optional<Status> status(String submissionId) {
        Map<String, String> hash = RedisErrors.call("read artifact " + submissionId, () -> redis.hgetAll(Keys.artifact(submissionId)));
        if (hash.get("spec") == null) {
            return Optional.empty();
        }
        List<PlannedIncrement> increments = hash.get("increments") == null ? List.of()
                : read(hash.get("increments"), new TypeReference<List<PlannedIncrement>>() { });
        return Optional.of(new Status(read(hash.get("spec"), ArtifactSubmission.class), hash.getOrDefault("state", "pending"),
                Optional.ofNullable(hash.get("stored")).map(j -> read(j, StoredArtifact.class)), increments,
                Optional.ofNullable(hash.get("error")), Long.parseLong(hash.getOrDefault("createdAt", "0"))));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable: " + value, e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an artifact record is not readable as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an artifact record is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
