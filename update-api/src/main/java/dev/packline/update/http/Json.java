package dev.packline.update.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;

/** The update API's JSON mapper and how a JSON answer is sent. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** Made once: every answer carries them. */
    private static final Header CONTENT_TYPE = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final Header NO_STORE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");

    private Json() {
    }

    public static void send(ServerResponse res, int status, Object body) {
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
        sendJson(res, status, json);
    }

    /** Sends bytes that already are a JSON document, with the headers of every JSON answer. */
    public static void sendJson(ServerResponse res, int status, byte[] json) {
        res.status(status);
        res.header(CONTENT_TYPE);
        res.header(NO_STORE);
        res.send(json);
    }
}
