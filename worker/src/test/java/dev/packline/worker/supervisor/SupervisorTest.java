package dev.packline.worker.supervisor;

import dev.packline.worker.WorkerConfig.Supervision;
import dev.packline.notify.Alert;
import dev.packline.worker.alarm.RecordingAlertChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supervisor with real child JVMs that exit with scripted statuses. */
class SupervisorTest {
    @TempDir
    Path dir;

    private final RecordingAlertChannel channel = new RecordingAlertChannel();
    private final List<Alert> alerts = channel.alerts();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Supervisor supervisor(int processes, int crashLoop, Path script, Path log) {
        Supervision policy = new Supervision(processes, Duration.ofMillis(100), Duration.ofMillis(400), crashLoop, Duration.ofMinutes(1));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new Supervisor(new Supervisor.Params(slot -> List.of(java, "-cp", System.getProperty("java.class.path"),
                FakeWorkerMain.class.getName(), script.toString(), log.toString(), Integer.toString(slot)),
                policy, Duration.ofSeconds(10), channel, registry, Clock.systemUTC()));
    }

    private double restarts(String reason) {
        return registry.find("packline.supervisor.restarts").tag("reason", reason).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static long lines(Path log, String prefix) {
        try {
            return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix)).count() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void recycledWorkersRestartAtOnceCrashedOnesAfterBackoffAndStopsEndTheSlot() throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "3\n3\n1\n0\n");
        Path log = dir.resolve("log");
        try (Supervisor s = supervisor(1, 5, script, log).start()) {
            s.allEnded().get(60, TimeUnit.SECONDS);
            assertEquals(4, lines(log, "start"), "recycle, recycle, crash, clean stop");
            assertEquals(2, restarts("recycle"));
            assertEquals(1, restarts("crash"));
            assertEquals(List.of(Supervisor.SlotState.STOPPED), s.states());
            assertTrue(alerts.isEmpty());
        }
    }

    @Test
    void aCrashLoopingSlotIsGivenUpWithAnAlert() throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "1\n1\n1\n1\n1\n1\n");
        Path log = dir.resolve("log");
        try (Supervisor s = supervisor(1, 3, script, log).start()) {
            s.allEnded().get(60, TimeUnit.SECONDS);
            assertEquals(3, lines(log, "start"));
            assertEquals(List.of(Supervisor.SlotState.GAVE_UP), s.states());
            assertEquals(1, alerts.size());
            assertTrue(alerts.get(0).text().contains("crash loop"), alerts.get(0).text());
        }
    }

    @Test
    void aWorkerThatRejectsItsConfigurationIsNotRestarted() throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "2\n");
        try (Supervisor s = supervisor(1, 5, script, dir.resolve("log")).start()) {
            s.allEnded().get(60, TimeUnit.SECONDS);
            assertEquals(List.of(Supervisor.SlotState.GAVE_UP), s.states());
            assertTrue(alerts.get(0).text().contains("configuration"));
        }
    }

    @Test
    void closeForwardsSigtermToEveryRunningWorker() throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "run\nrun\n");
        Path log = dir.resolve("log");
        Supervisor s = supervisor(2, 5, script, log).start();
        await("both workers run", () -> lines(log, "start") == 2 && s.pids().stream().allMatch(p -> p > 0));
        Thread.sleep(300); // let them install their shutdown hooks

        s.close();

        assertEquals(2, lines(log, "term"), "each child ran its SIGTERM shutdown hook");
        assertEquals(0, restarts("crash"), "stopping is not crashing");
    }
}
