package dev.packline.queue.schedule;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}), the syntax of
 * crontab(5): {@code *}, values, ranges {@code 1-5}, steps {@code *}{@code /15} and {@code 10-50/10}, lists
 * {@code 1,15}, month and day names ({@code JAN}, {@code MON}); day of week 0 or 7 is Sunday. When both
 * day fields are restricted, a day matching either one matches (as cron does). Times are wall-clock
 * times in the schedule's zone: a time skipped by a daylight-saving jump fires at the same offset
 * after the jump, and an hour repeated when clocks go back fires once, in its first occurrence.
 */
public final class CronExpression {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Enough candidate steps for any expression that matches at all within a few years (29 February included). */
    private static final int MAX_STEPS = 100_000;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronExpression(String text, String[] f) {
        this.text = text;
        this.minutes = field("minute", f[0], 0, 59, List.of());
        this.hours = field("hour", f[1], 0, 23, List.of());
        this.daysOfMonth = field("day of month", f[2], 1, 31, List.of());
        this.months = field("month", f[3], 1, 12, MONTHS);
        BitSet dow = field("day of week", f[4], 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
        }
        this.daysOfWeek = dow;
        this.anyDayOfMonth = f[2].equals("*");
        this.anyDayOfWeek = f[4].equals("*");
    }

    /** Parses an expression; throws naming the field and the problem. */
    public static CronExpression parse(String text) {
        String[] fields = text == null ? new String[0] : text.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("cron expression '" + text + "' must have 5 fields (minute hour day-of-month month day-of-week), got "
                    + (text == null || text.isBlank() ? 0 : fields.length));
        }
        CronExpression cron = new CronExpression(text.trim(), fields);
        if (cron.next(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneId.of("UTC"))) == null) {
            throw new IllegalArgumentException("cron expression '" + text + "' never matches a date (for example 30 February)");
        }
        return cron;
    }

    /** The first matching time strictly after {@code after}, in its zone; null if none within several years. */
    public ZonedDateTime next(ZonedDateTime after) {
        ZoneId zone = after.getZone();
        LocalDateTime t = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        for (int step = 0; step < MAX_STEPS; step++) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                ZonedDateTime candidate = ZonedDateTime.ofLocal(t, zone, null);
                if (candidate.isAfter(after)) {
                    return candidate;
                }
                t = t.plusMinutes(1); // the repeated hour's second occurrence lies before: go on in wall-clock time
            }
        }
        return null;
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    private static BitSet field(String name, String text, int min, int max, List<String> names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(name, part.substring(slash + 1), 1, max, List.of());
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw new IllegalArgumentException("cron " + name + " '" + part + "': a range is FROM-TO");
                }
                from = number(name, ends[0], min, max, names);
                to = number(name, ends[1], min, max, names);
                if (from > to) {
                    throw new IllegalArgumentException("cron " + name + " '" + part + "': the range runs backwards");
                }
            } else {
                from = number(name, range, min, max, names);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String name, String text, int min, int max, List<String> names) {
        int named = names.indexOf(text.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return named + (names.size() == 12 ? 1 : 0);
        }
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new IllegalArgumentException("cron " + name + " " + v + " is outside " + min + "-" + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cron " + name + " '" + text + "' is not a number" + (names.isEmpty() ? "" : " or a name like " + names.get(0)), e);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
