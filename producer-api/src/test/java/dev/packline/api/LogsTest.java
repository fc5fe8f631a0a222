package dev.packline.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the API logs: who did what (publisher, token name, request id), never a token. */
class LogsTest {
    @TempDir
    Path temp;

    @Test
    void logsNameThePublisherAndTokenButNeverTheToken() throws Exception {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try (ApiFixture api = new ApiFixture(temp)) {
            String id = api.post(api.acmeToken, api.body(2)).json().get("id").asText();
            api.get(api.acmeToken + "-typo", "/v1/jobs");
            api.post(api.acmeToken, "{\"appId\": 1}");
            api.delete(api.acmeToken, "/v1/jobs/" + id);
            api.writeApiConfig("submitsPerMinute: 6000, submitBurst: 1000, maxChannelsInFlight: 0", "", "rotated-" + System.nanoTime());
            api.api.reloadConfig();

            List<ILoggingEvent> events = List.copyOf(captured.list);
            ILoggingEvent accepted = events.stream().filter(e -> e.getFormattedMessage().startsWith("request " + id + " accepted")).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'accepted' line"));
            assertTrue(accepted.getFormattedMessage().contains("token ci"), accepted.getFormattedMessage());
            assertEquals(api.acme, accepted.getMDCPropertyMap().get("publisher"));
            assertEquals(id, accepted.getMDCPropertyMap().get("requestId"));
            assertTrue(events.stream().anyMatch(e -> e.getFormattedMessage().contains("cancel requested by token ci")));
            assertTrue(events.stream().anyMatch(e -> e.getFormattedMessage().contains("refused 401 unauthorized")));
            assertTrue(events.stream().anyMatch(e -> e.getFormattedMessage().contains("publishers with") && e.getFormattedMessage().contains("tokens now in force")));
            for (ILoggingEvent e : events) {
                String all = e.getFormattedMessage() + e.getMDCPropertyMap() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
                assertFalse(all.contains(api.acmeToken), "a token reached the log: " + all);
                assertFalse(all.contains("rotated-"), "a token reached the log: " + all);
            }
        } finally {
            root.detachAppender(captured);
        }
    }
}
