package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.TestRedis;
import dev.packline.releases.ReleaseState;
import dev.packline.releases.TestReleases;
import dev.packline.releases.redis.RedisReleaseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code admin release ...} on a real redis-server: the whole rollout from the command line, and its exit codes. */
class ReleaseCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AdminRun admin(String... args) {
        return AdminRun.admin(args);
    }

    @Test
    void anOperatorRollsAReleaseOutFromTheCommandLine(@TempDir Path dir) throws Exception {
        String app = TestReleases.uniqueApp("admin");
        AdminRun created = admin("--json", "release", "app-create", app, "--owner", "acme", "--deployments", "staging,production");
        assertEquals(0, created.exit(), created.err());
        assertEquals(2, created.json().get("deployments").size());
        long id;
        try (UnifiedJedis redis = TestRedis.client()) {
            id = new RedisReleaseStore(redis, Clock.systemUTC()).create(TestReleases.bundle(app, "production", "2.0", "*"), "ci").id();
        }
        Path ids = Files.writeString(dir.resolve("ids.txt"), "qa-1\nqa-2\n\nqa-3\n");
        String release = Long.toString(id);
        record Step(List<String> args, int exit, String state) {
        }
        for (Step s : List.of(
                new Step(List.of("set-percentage", release, "--app", app, "--percentage", "5"), 0, "draft"),
                new Step(List.of("set-whitelist", release, "--app", app, "--ids-file", ids.toString()), 0, "draft"),
                new Step(List.of("add-label", release, "--app", app, "--key", "forceUpdate", "--type", "boolean", "--value", "true"), 0, "draft"),
                new Step(List.of("start", release, "--app", app), 0, "rolling_out"),
                new Step(List.of("resume", release, "--app", app), 1, null),
                new Step(List.of("set-percentage", release, "--app", app, "--percentage", "101"), 1, null),
                new Step(List.of("set-percentage", release, "--app", app), 1, null),
                new Step(List.of("start", "999999999", "--app", app), 3, null),
                new Step(List.of("start", "abc", "--app", app), 2, null),
                new Step(List.of("start", release, "--app", app, "--colour", "red"), 2, null),
                new Step(List.of("full", release, "--app", app), 0, "full"))) {
            List<String> argv = new ArrayList<>(List.of("--json", "--as", "oncall", "release"));
            argv.addAll(s.args());
            AdminRun r = admin(argv.toArray(String[]::new));
            assertEquals(s.exit(), r.exit(), s.args() + ": " + r.err());
            if (s.state() != null) {
                assertEquals(s.state(), r.json().get("state").asText(), s.args().toString());
            } else {
                assertTrue(r.err().startsWith("admin: "), r.err());
            }
        }
        AdminRun shown = admin("--json", "release", "show", release, "--app", app);
        assertEquals(ReleaseState.FULL.name().toLowerCase(), shown.json().get("state").asText());
        assertEquals(3, shown.json().get("whitelist").size());
        assertTrue(shown.json().get("reports").has("installed"));
        AdminRun audit = admin("release", "audit", "--app", app, "--limit", "2");
        assertTrue(audit.out().contains("admin:oncall") && audit.out().contains("rolling_out -> full"), audit.out());
        AdminRun list = admin("release", "list", "--app", app);
        assertTrue(list.out().contains("RELEASE ID") && list.out().contains("2.0"), list.out());
        AdminRun promoted = admin("--json", "release", "promote", release, "--app", app, "--deployment", "staging");
        assertEquals(0, promoted.exit(), promoted.err());
        assertEquals("staging", promoted.json().get("deployment").asText());
        assertTrue(admin("release", "apps").out().contains(app));
        AdminRun help = admin("--help");
        assertTrue(help.out().contains("\n  release apps"), help.out());
        assertEquals(2, admin("release").exit());
        assertEquals(2, admin("release", "explode").exit());
    }
}
