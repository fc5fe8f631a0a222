package dev.packline.queue.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cron expressions: the next tick for a table of expressions, daylight-saving days, and refusals that name the problem. */
class CronExpressionTest {

    @ParameterizedTest(name = "{0} after {1} in {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0 3 * * *       | 2026-12-05T13:10:00Z            | UTC           | 2026-12-06T03:00Z[UTC]
            */15 * * * *    | 2026-12-05T13:10:00Z            | UTC           | 2026-12-05T13:15Z[UTC]
            */15 * * * *    | 2026-12-05T13:15:00Z            | UTC           | 2026-12-05T13:30Z[UTC]
            10-50/20 9 * * *| 2026-12-05T09:31:00Z            | UTC           | 2026-12-05T09:50Z[UTC]
            0 9 * * MON-FRI | 2026-12-05T10:00:00Z            | UTC           | 2026-12-07T09:00Z[UTC]
            0 0 1 JAN *     | 2026-12-05T10:00:00Z            | UTC           | 2027-01-01T00:00Z[UTC]
            0 0 29 2 *      | 2026-03-01T00:00:00Z            | UTC           | 2028-02-29T00:00Z[UTC]
            0 12 13 * 5     | 2026-12-05T00:00:00Z            | UTC           | 2026-12-11T12:00Z[UTC]
            0 0 * * 7       | 2026-12-05T00:00:00Z            | UTC           | 2026-12-06T00:00Z[UTC]
            0 3 * * *       | 2026-12-05T13:10:00Z            | Asia/Shanghai | 2026-12-06T03:00+08:00[Asia/Shanghai]
            30 2 * * *      | 2026-03-29T00:00:00+01:00       | Europe/Paris  | 2026-03-29T03:30+02:00[Europe/Paris]
            30 2 * * *      | 2026-10-25T00:00:00+02:00       | Europe/Paris  | 2026-10-25T02:30+02:00[Europe/Paris]
            30 2 * * *      | 2026-10-25T02:30:00+02:00       | Europe/Paris  | 2026-10-26T02:30+01:00[Europe/Paris]
            """)
    void nextTick(String expression, String after, String zone, String expected) {
        ZonedDateTime start = ZonedDateTime.parse(after).withZoneSameInstant(ZoneId.of(zone));
        assertEquals(ZonedDateTime.parse(expected), CronExpression.parse(expression.trim()).next(start));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0 3 * *         | must have 5 fields
            60 * * * *      | minute 60 is outside 0-59
            0 24 * * *      | hour 24 is outside 0-23
            0 0 0 * *       | day of month 0 is outside 1-31
            0 0 * 13 *      | month 13 is outside 1-12
            0 0 * * FUNDAY  | day of week 'FUNDAY' is not a number or a name like SUN
            0 0 5-1 * *     | the range runs backwards
            0 0 30 2 *      | never matches a date
            """)
    void refusalsNameTheProblem(String expression, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronExpression.parse(expression.trim()));
        assertTrue(e.getMessage().contains(message.trim()), e.getMessage());
    }

    @Test
    void theRepeatedHourFiresOnce() {
        CronExpression every15 = CronExpression.parse("*/15 * * * *");
        ZonedDateTime t = ZonedDateTime.parse("2026-10-25T01:50+02:00[Europe/Paris]");
        int ticksBetweenOneAndFourWallClock = 0;
        while (t.toLocalTime().getHour() < 4 || t.getDayOfMonth() == 24) {
            t = every15.next(t);
            if (t.getHour() >= 2 && t.getHour() < 3) {
                ticksBetweenOneAndFourWallClock++;
            }
        }
        assertEquals(4, ticksBetweenOneAndFourWallClock, "02:00, 02:15, 02:30, 02:45 once each, not twice");
    }
}
