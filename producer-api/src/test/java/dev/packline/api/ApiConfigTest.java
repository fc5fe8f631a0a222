package dev.packline.api;

import dev.packline.api.auth.Publishers;
import dev.packline.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiConfigTest {
    @TempDir
    Path temp;

    @Test
    void theCommentedExampleLoadsWithTheWorkersRules() {
        ApiConfig config = ApiConfig.load(Path.of("../config/api.yml"), Map.of());
        assertEquals(8080, config.server().port());
        assertEquals(null, config.redisUrl(), "no URL: local use starts an embedded Redis");
        assertEquals(Set.of("local"), config.rules().stores(), "read from config/pipeline.yml");
        assertEquals(Path.of("/data/apks"), config.rules().allowedRoots().getFirst());
        assertEquals(Duration.ofDays(7), config.pipeline().requestRetention());
        Publishers.Caller ci = config.publishers().authenticate("example-acme-ci-token").orElseThrow();
        assertEquals("acme-games", ci.name());
        assertEquals("ci", ci.tokenName());
        assertTrue(ci.mayUse("com.acme.anything"));
        Publishers.Caller bot = config.publishers().authenticate("example-acme-release-token").orElseThrow();
        assertTrue(bot.mayUse("com.acme.puzzle") && !bot.mayUse("com.acme.other"));
        assertTrue(config.publishers().authenticate("c6b30a7cf65cbcbe93227a3056379b4e52292ca02f701bb1d04c4f4add7f0298").isEmpty(),
                "the hash itself is no token");
        assertEquals("redis://10.9.8.7:6379",
                ApiConfig.load(Path.of("../config/api.yml"), Map.of("PACKLINE_REDIS_URL", "redis://10.9.8.7:6379")).redisUrl());
    }

    @Test
    void everyProblemOfABadFileIsReportedAtOnce() throws Exception {
        Files.writeString(temp.resolve("worker.yml"), "mothers: {allowedRoots: 5}\n");
        Files.writeString(temp.resolve("api.yml"), """
                server: {port: 99999, maxBodyBytes: 10}
                pipeline: {shared: worker.yml}
                publishers:
                  "bad name!":
                    tokens: {ci: {sha256: not-a-hash}}
                  twin:
                    tokens: {a: {sha256: %1$s}, b: {sha256: %1$s}}
                colour: blue
                """.formatted("a".repeat(64)));
        SettingsException e = assertThrows(SettingsException.class, () -> ApiConfig.load(temp.resolve("api.yml"), Map.of()));
        String message = e.getMessage();
        for (String part : new String[]{"server.port: must be between 0 and 65535", "server.maxBodyBytes: at least 1KiB",
                "mothers.allowedRoots: expected a list", "publishers.bad name!: a publisher name",
                "publishers.bad name!.tokens.ci.sha256: the token's SHA-256", "publishers.twin.tokens.b.sha256: the same hash as",
                "colour: unknown key"}) {
            assertTrue(message.contains(part), "missing '" + part + "' in:\n" + message);
        }
        assertTrue(!message.contains("a".repeat(64)), "hashes are not repeated in errors");
    }

    @Test
    void aMissingWorkerConfigurationIsNamed() throws Exception {
        Files.writeString(temp.resolve("api.yml"), """
                pipeline: {shared: nowhere.yml}
                publishers: {acme: {tokens: {ci: {sha256: %s}}}}
                """.formatted("b".repeat(64)));
        SettingsException e = assertThrows(SettingsException.class, () -> ApiConfig.load(temp.resolve("api.yml"), Map.of()));
        assertTrue(e.getMessage().contains("nowhere.yml") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
