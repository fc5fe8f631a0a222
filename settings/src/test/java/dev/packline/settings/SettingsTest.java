package dev.packline.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    private static final String YAML = """
            redis:
              url: redis://10.0.0.1:6379
            worker:
              maxJobsPerWorker: 500
              shutdownTimeout: 20s
            mothers:
              cacheMaxBytes: 20GiB
              allowedRoots: [/data/apks, /srv/apks]
            queues:
              package: {concurrency: 8}
              upload: {concurrency: 16}
            """;

    @Test
    void readsTypedValuesAndNamedMappings() {
        Settings s = Settings.parse("test.yml", YAML, Map.of());
        assertEquals("redis://10.0.0.1:6379", s.string("redis.url", null));
        assertEquals(500, s.integer("worker.maxJobsPerWorker", 0, 0, 1_000_000));
        assertEquals(Duration.ofSeconds(20), s.duration("worker.shutdownTimeout", Duration.ZERO));
        assertEquals(20L << 30, s.bytes("mothers.cacheMaxBytes", 0));
        assertEquals(List.of("/data/apks", "/srv/apks"), s.strings("mothers.allowedRoots"));
        assertEquals(List.of("package", "upload"), s.keys("queues"));
        assertEquals(8, s.integer("queues.package.concurrency", 1, 1, 1000));
        assertEquals(16, s.integer("queues.upload.concurrency", 1, 1, 1000));
        assertEquals(Duration.ofSeconds(2), s.duration("worker.heartbeat", Duration.ofSeconds(2)), "absent: the default");
        s.finish();
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        Settings s = Settings.parse("test.yml", YAML, Map.of("PACKLINE_REDIS_URL", "redis://127.0.0.1:7000",
                "PACKLINE_WORKER_MAX_JOBS_PER_WORKER", "42", "PACKLINE_MOTHERS_ALLOWED_ROOTS", "/a,/b"));
        assertEquals("redis://127.0.0.1:7000", s.string("redis.url", null));
        assertEquals(42, s.integer("worker.maxJobsPerWorker", 0, 0, 1_000_000));
        assertEquals(List.of("/a", "/b"), s.strings("mothers.allowedRoots"));
    }

    @Test
    void everyProblemIsListedInOneErrorUnknownKeysIncluded() {
        Settings s = Settings.parse("bad.yml", """
                redis:
                  url: redis://x
                  pasword: secret
                worker:
                  maxJobsPerWorker: lots
                  shutdownTimeout: 20 seconds
                metrcis: {port: 9400}
                """, Map.of("PACKLINE_WORKER_CONCURRENCY", "many"));
        s.string("redis.url", null);
        s.integer("worker.maxJobsPerWorker", 0, 0, 100);
        s.duration("worker.shutdownTimeout", Duration.ZERO);
        s.integer("worker.concurrency", 1, 1, 100);

        SettingsException e = assertThrows(SettingsException.class, s::finish);
        assertEquals(5, e.problems().size(), e.getMessage());
        String text = e.getMessage();
        assertTrue(text.contains("bad.yml"), text);
        assertTrue(text.contains("worker.maxJobsPerWorker: expected a whole number, got 'lots'"), text);
        assertTrue(text.contains("worker.shutdownTimeout: expected a duration"), text);
        assertTrue(text.contains("worker.concurrency (from PACKLINE_WORKER_CONCURRENCY)"), text);
        assertTrue(text.contains("redis.pasword: unknown key"), text);
        assertTrue(text.contains("metrcis.port: unknown key"), text);
    }

    @Test
    void aMissingFileOrBrokenYamlIsReportedAtOnce() {
        assertTrue(assertThrows(SettingsException.class, () -> Settings.load(java.nio.file.Path.of("/no/such/packline.yml"), Map.of()))
                .getMessage().contains("does not exist"));
        assertTrue(assertThrows(SettingsException.class, () -> Settings.parse("x.yml", "a: [1, 2", Map.of()))
                .getMessage().contains("not readable as YAML"));
    }

    @ParameterizedTest
    @CsvSource({"250ms,250", "30s,30000", "10m,600000", "2h,7200000", "1d,86400000"})
    void durations(String text, long millis) {
        assertEquals(millis, Settings.parseDuration(text).toMillis());
    }

    @ParameterizedTest
    @CsvSource({"512,512", "4KiB,4096", "20GiB,21474836480", "1MB,1048576"})
    void sizes(String text, long bytes) {
        assertEquals(bytes, Settings.parseSize(text));
    }

    @Test
    void rangeChecksNameTheLimits() {
        Settings s = Settings.parse("x.yml", "worker: {processes: 0}", Map.of());
        assertEquals(1, s.integer("worker.processes", 1, 1, 64));
        assertTrue(assertThrows(SettingsException.class, s::finish).getMessage().contains("worker.processes: must be between 1 and 64, got 0"));
    }

    @Test
    void aReaderOfSomeSectionsReportsBadValuesButNotTheKeysItLeftToTheFilesOwner() {
        Settings s = Settings.parse("worker.yml", YAML, Map.of());
        assertEquals(List.of("/data/apks", "/srv/apks"), s.strings("mothers.allowedRoots"));
        s.finishReadValues(); // redis, worker and queues belong to the worker: not unknown for this reader

        Settings bad = Settings.parse("worker.yml", YAML, Map.of());
        bad.integer("worker.shutdownTimeout", 0, 0, 10);
        SettingsException e = assertThrows(SettingsException.class, bad::finishReadValues);
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().getFirst().startsWith("worker.shutdownTimeout: expected a whole number"), e.getMessage());
    }
}
