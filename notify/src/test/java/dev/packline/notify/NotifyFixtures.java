package dev.packline.notify;

import dev.packline.queue.TestClock;
import dev.packline.queue.retry.Backoff;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Test data and a client whose retries and rate limits run on a hand-moved clock. */
final class NotifyFixtures {
    /** A fixed start (2024-05-01T10:00:00Z) so timestamps in assertions are readable. */
    static final long START_MILLIS = 1_714_557_600_000L;
    /** Short enough that the one timeout test costs a fraction of a second. */
    // a request timeout a loaded CI machine never reaches by accident: a timeout there is retried, and
    // the retry's backoff moves the test clock, which refills rate-limit tokens the tests count on
    static final WebhookClient.Params TEST_PARAMS = new WebhookClient.Params(Duration.ofSeconds(5), Duration.ofSeconds(10), 3,
            new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0.0), Duration.ofSeconds(30));
    /** For the test of timeouts themselves. */
    static final WebhookClient.Params SHORT_TIMEOUT_PARAMS = new WebhookClient.Params(Duration.ofSeconds(5), Duration.ofMillis(300), 3,
            new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0.0), Duration.ofSeconds(30));

    private NotifyFixtures() {
    }

    /** Sleeps by moving the clock, and remembers every wait. */
    static final class ClockSleeper implements Sleeper {
        final TestClock clock;
        final List<Duration> sleeps = new ArrayList<>();

        ClockSleeper(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized void sleep(Duration duration) {
            sleeps.add(duration);
            clock.advance(duration);
        }
    }

    static Alert alert(String title) {
        return new Alert("backlog-pending:package:3", Alert.Severity.CRITICAL, Alert.Status.FIRING, title,
                "pending 12000 jobs, threshold 10000\n- oldest waits 11 min",
                Map.of("queue", "package", "version", "3"), Instant.ofEpochMilli(START_MILLIS));
    }

    static Alert alert(String title, Alert.Severity severity, Alert.Status status, String text) {
        return new Alert("key-" + title, severity, status, title, text, Map.of("queue", "package"), Instant.ofEpochMilli(START_MILLIS));
    }

    static String hmacBase64(byte[] key, byte[] data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Message, causes and stack trace as a log would print them. */
    static String printed(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
