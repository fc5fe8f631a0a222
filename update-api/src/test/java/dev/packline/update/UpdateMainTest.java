package dev.packline.update;

import dev.packline.settings.Settings;
import dev.packline.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line and the configuration: the shipped example is valid, mistakes are all named at once. */
class UpdateMainTest {

    @Test
    void theShippedConfigurationIsValid() {
        UpdateConfig c = UpdateConfig.load(Path.of("../config/update-api.yml"), Map.of());
        assertEquals(8090, c.server().port());
        assertEquals(0.2, c.autoPause().failureRate(), 1e-9);
        assertTrue(c.notifications().containsKey("ops-log"));
    }

    @Test
    void everyProblemIsNamedInOneError() {
        SettingsException e = assertThrows(SettingsException.class, () -> UpdateConfig.read(Settings.parse("u.yml", """
                server: {port: 70000, maxHeadersBytes: 10}
                snapshot: {pollInterval: 10ms, staleAfter: 5ms}
                autoPause: {failurePercent: 0}
                logging: {format: xml}
                typo: 1
                """, Map.of())));
        for (String path : java.util.List.of("server.port", "server.maxHeadersBytes", "snapshot.pollInterval", "snapshot.staleAfter",
                "autoPause.failurePercent", "logging.format", "typo")) {
            assertTrue(e.getMessage().contains(path), path + " in " + e.getMessage());
        }
    }

    @Test
    void badArgumentsAndConfigurationsExitWithTwo(@TempDir Path dir) throws Exception {
        assertEquals(0, UpdateMain.run(new String[]{"--help"}));
        assertEquals(2, UpdateMain.run(new String[]{"--bogus"}));
        assertEquals(2, UpdateMain.run(new String[]{"--port"}));
        assertEquals(2, UpdateMain.run(new String[]{"--port", "eighty"}));
        Path bad = Files.writeString(dir.resolve("bad.yml"), "server: {port: -1}\n");
        assertEquals(2, UpdateMain.run(new String[]{"--config", bad.toString()}));
    }
}
