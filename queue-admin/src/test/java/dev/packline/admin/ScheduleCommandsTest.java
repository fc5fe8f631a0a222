package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.admin.AdminTest.Run;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code admin schedule ...} on a real redis-server: create, list, pause, resume, replace, remove, and the refusals' exit codes. */
class ScheduleCommandsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T13:10:00Z"), ZoneOffset.UTC);

    private static Run admin(String... args) {
        return AdminTest.run(CLOCK, "", args);
    }

    private static JsonNode row(Run listed, String name) throws Exception {
        for (JsonNode r : listed.json()) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        return null;
    }

    @Test
    void anOperatorSchedulesHousekeepingFromTheCommandLine() throws Exception {
        String name = "trim-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            Run created = admin("--json", "schedule", "set", "--name", name, "--queue", "housekeeping", "--cron", "0 3 * * *",
                    "--zone", "Asia/Shanghai", "--payload", "{\"task\":\"trim-requests\"}", "--priority", "bulk", "--group", "ops");
            assertEquals(0, created.exit(), created.err());
            JsonNode c = created.json().get(0);
            assertEquals("created", c.get("change").asText());
            assertEquals("cron '0 3 * * *' in Asia/Shanghai", c.get("cadence").asText());
            assertEquals("2026-12-05T19:00:00Z", c.get("next").asText(), "03:00 in Shanghai is 19:00 UTC");
            assertEquals("bulk", c.get("priority").asText());

            JsonNode listed = row(admin("--json", "schedule", "list"), name);
            assertEquals("{\"task\":\"trim-requests\"}", listed.get("payload").asText());
            assertEquals("ops", listed.get("group").asText());
            String table = admin("schedule", "list").out();
            assertTrue(table.contains(name) && table.contains("NEXT"), table);

            Run paused = admin("--json", "schedule", "pause", "--name", name);
            assertEquals(0, paused.exit(), paused.err());
            assertTrue(paused.json().get(0).get("paused").asBoolean());
            assertTrue(paused.json().get(0).get("next").isNull(), "a paused schedule has no next tick");
            Run resumed = admin("--json", "schedule", "resume", "--name", name);
            assertEquals("2026-12-05T19:00:00Z", resumed.json().get(0).get("next").asText());

            Run replaced = admin("--json", "schedule", "set", "--name", name, "--queue", "housekeeping", "--every", "10m");
            assertEquals("updated", replaced.json().get(0).get("change").asText());
            assertEquals("2026-12-05T13:20:00Z", replaced.json().get(0).get("next").asText());

            record Refusal(List<String> args, int exit, String message) {
            }
            for (Refusal r : List.of(
                    new Refusal(List.of("set", "--name", name, "--queue", "q", "--cron", "0 3 * *"), 2, "must have 5 fields"),
                    new Refusal(List.of("set", "--name", name, "--queue", "q", "--cron", "0 3 * * *", "--every", "1h"), 2, "exactly one of"),
                    new Refusal(List.of("set", "--name", name, "--queue", "q", "--every", "5 minutes"), 2, "--every"),
                    new Refusal(List.of("set", "--name", name, "--queue", "q", "--cron", "0 3 * * *", "--zone", "Mars/Base"), 2, "unknown time zone"),
                    new Refusal(List.of("set", "--queue", "q", "--every", "1h"), 2, "--name is required"),
                    new Refusal(List.of("pause", "--name", "no-such-schedule-" + name), 3, "no schedule"),
                    new Refusal(List.of("explode"), 2, "unknown schedule command"))) {
                List<String> argv = new ArrayList<>(List.of("schedule"));
                argv.addAll(r.args());
                Run run = admin(argv.toArray(String[]::new));
                assertEquals(r.exit(), run.exit(), r.args() + ": " + run.err());
                assertTrue(run.err().contains(r.message()), r.args() + ": " + run.err());
            }
            // the refused sets changed nothing:
            assertEquals("every PT10M", row(admin("--json", "schedule", "list"), name).get("cadence").asText());

            assertEquals(0, admin("schedule", "remove", "--name", name).exit());
            assertEquals(null, row(admin("--json", "schedule", "list"), name));
            assertEquals(3, admin("schedule", "remove", "--name", name).exit(), "gone");
        } finally {
            admin("schedule", "remove", "--name", name);
        }
    }
}
