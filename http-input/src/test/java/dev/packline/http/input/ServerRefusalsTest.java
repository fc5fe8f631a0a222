package dev.packline.http.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.DirectHandler;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web server's own refusals, as {@link ServerRefusals} answers them: the JSON shape, the right status and field. */
class ServerRefusalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            400 | Header size exceeded                  | 431 | headers_too_large | headers | larger than the server reads
            414 | -                                     | 414 | headers_too_large | path    | request line
            413 | -                                     | 413 | body_too_large    | body    | 1000 bytes
            400 | Invalid prologue: Found LF (200):\\n+--dump | 400 | invalid_request | request | Invalid prologue
            503 | Too Many Concurrent Requests          | 503 | internal          | -       | Too Many Concurrent Requests
            500 | Internal error                        | 400 | invalid_request   | request | Internal error
            """)
    void refusalsComeInTheJsonShape(int status, String message, int answered, String reason, String field, String messagePart) throws Exception {
        String said = message == null ? null : message.replace("\\n", "\n");
        DirectHandler.TransportResponse response = new ServerRefusals(1000).handle(DirectHandler.TransportRequest.empty(), EventType.OTHER,
                Status.create(status), ServerResponseHeaders.create(), said);
        assertEquals(answered, response.status().code());
        assertTrue(response.headers().contains(io.helidon.http.HeaderNames.CONTENT_TYPE));
        JsonNode error = JSON.readTree(response.entity().orElseThrow()).get("error");
        assertEquals(answered, error.get("status").asInt());
        assertEquals(reason, error.get("reason").asText());
        assertTrue(error.get("message").asText().contains(messagePart), error.toString());
        assertTrue(!error.get("message").asText().contains("--dump"), "the server's dump of the request is cut: " + error);
        if (field != null) {
            assertEquals(field, error.get("problems").get(0).get("field").asText());
        }
    }
}
