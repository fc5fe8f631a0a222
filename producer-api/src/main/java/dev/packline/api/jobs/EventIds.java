package dev.packline.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of a request's server-sent events, and what a reconnecting client's {@code Last-Event-ID}
 * means. An event is a snapshot of the request's state, so its id names that state, not a position
 * in one connection: {@code p} or {@code d} (progress or the final {@code done}) followed by a hash
 * of the request's summary without its timings. Every API instance gives the same state the same
 * id, and a client that saw a state is never sent it again after reconnecting.
 */
final class EventIds {
    /** Map keys sorted and no indentation: the same state is the same text on every instance. */
    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final String PROGRESS = "p";
    private static final String FINAL = "d";

    /** What the client already has, judged from its {@code Last-Event-ID}. */
    enum Resume {
        /** No id, or one of another state: it gets the current state at once. */
        CURRENT_STATE,
        /** The id of the state the request is in now: nothing until it changes. */
        UP_TO_DATE,
        /** It received the final event of this finished request: nothing more to send. */
        FINAL_SEEN
    }

    private EventIds() {
    }

    /** A summary view without what changes by itself as time passes (timings): two equal states compare equal. */
    static Map<String, Object> comparable(Map<String, Object> summaryView) {
        Map<String, Object> state = new LinkedHashMap<>(summaryView);
        state.remove("timings");
        return state;
    }

    static String progress(Map<String, Object> comparable) {
        return PROGRESS + hash(comparable);
    }

    static String done(Map<String, Object> comparable) {
        return FINAL + hash(comparable);
    }

    /**
     * @param lastEventId what the client sent (null: nothing)
     * @param currentId   the id of the request's state now
     * @param finished    whether the request is in its final state
     */
    static Resume resume(String lastEventId, String currentId, boolean finished) {
        if (lastEventId == null) {
            return Resume.CURRENT_STATE;
        }
        if (finished && lastEventId.startsWith(FINAL)) {
            return Resume.FINAL_SEEN; // a request finishes once: whatever final id the client holds, it had this one
        }
        return lastEventId.equals(currentId) ? Resume.UP_TO_DATE : Resume.CURRENT_STATE;
    }

    private static String hash(Map<String, Object> comparable) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsString(comparable).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot name the state of a request", e);
        }
    }
}
