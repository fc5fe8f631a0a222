package dev.packline.queue.worker;

import dev.packline.queue.retry.Backoff;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private final Backoff exact = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.0);

    @ParameterizedTest
    @CsvSource({"1,1000", "2,2000", "3,4000", "5,16000", "6,30000", "40,30000"})
    void growsExponentiallyUpToTheCap(int attempt, long expectedMillis) {
        assertEquals(expectedMillis, exact.delayAfter(attempt).toMillis());
    }

    @Test
    void jitterOnlyShortensTheWaitWithinItsShare() {
        Backoff jittered = new Backoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1), 0.25);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long d = jittered.delayAfter(1).toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min >= 7_500 && max <= 10_000, min + ".." + max);
        assertTrue(max - min > 1_000, "jitter spreads retries: " + min + ".." + max);
    }

    @Test
    void contradictorySettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(10), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 1.5));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WorkerTimings.DEFAULT.withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(6))).getMessage().contains("lease"));
    }
}
