package dev.packline.worker.supervisor;

import dev.packline.worker.ExitCode;
import dev.packline.worker.WorkerConfig.Supervision;
import dev.packline.notify.Alert;
import dev.packline.notify.AlertChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Keeps N worker processes running: restarts a recycled one at once, a crashed one after an
 * exponential backoff, and gives up on a slot that crash-loops (and alerts) or whose configuration
 * is invalid. On close it forwards SIGTERM to every child and waits for them to hand back their
 * jobs, killing only those still alive after the grace period.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** @param command the child's command line for slot i (the same worker with its slot index) */
    public record Params(IntFunction<List<String>> command, Supervision policy, Duration stopGrace, AlertChannel alerts,
                         MeterRegistry registry, Clock clock) {
    }

    public enum SlotState { RUNNING, WAITING_TO_RESTART, STOPPED, GAVE_UP }

    private final Params params;
    private final List<Slot> slots = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("supervisor").daemon().factory());
    private final CompletableFuture<Void> allEnded = new CompletableFuture<>();
    private volatile boolean stopping;

    private final class Slot {
        final int index;
        final Deque<Long> crashes = new ArrayDeque<>();
        volatile Process process;
        volatile SlotState state = SlotState.STOPPED;
        int consecutiveCrashes;
        int generation;

        Slot(int index) {
            this.index = index;
        }
    }

    public Supervisor(Params params) {
        this.params = params;
        for (int i = 0; i < params.policy().processes(); i++) {
            Slot slot = new Slot(i);
            slots.add(slot);
            Gauge.builder("packline.supervisor.process.up", slot, s -> s.state == SlotState.RUNNING ? 1 : 0)
                    .description("1 while the worker process of a slot runs").tag("slot", Integer.toString(i)).register(params.registry());
            restarts(slot, "recycle"); // every series exists from the start: dashboards show 0, not "no data"
            restarts(slot, "crash");
            gaveUp(slot);
        }
    }

    public Supervisor start() {
        slots.forEach(this::launch);
        return this;
    }

    private synchronized void launch(Slot slot) {
        if (stopping) {
            return;
        }
        List<String> command = params.command().apply(slot.index);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            // how many processes this slot ran before: the admin tool shows it as the worker's recycles
            builder.environment().put("PACKLINE_WORKER_GENERATION", Integer.toString(slot.generation++));
            Process process = builder.start();
            slot.process = process;
            slot.state = SlotState.RUNNING;
            log.info("slot {}: worker process {} started", slot.index, process.pid());
            process.onExit().thenAccept(p -> exited(slot, p.exitValue()));
        } catch (IOException e) {
            log.error("slot {}: cannot start {}: {}", slot.index, command.get(0), e.toString());
            exited(slot, ExitCode.CRASHED.status());
        }
    }

    private synchronized void exited(Slot slot, int status) {
        if (stopping) {
            slot.state = SlotState.STOPPED;
            checkAllEnded();
            return;
        }
        if (ExitCode.isRecycle(status)) {
            count(slot, "recycle");
            slot.consecutiveCrashes = 0;
            log.info("slot {}: worker recycled after its job budget; starting a fresh one", slot.index);
            launch(slot);
        } else if (status == ExitCode.STOPPED.status()) {
            log.info("slot {}: worker stopped cleanly (its queue versions retired); not restarting", slot.index);
            slot.state = SlotState.STOPPED;
        } else if (status == ExitCode.BAD_CONFIG.status()) {
            giveUp(slot, "the worker refused its configuration (exit " + status + "); fix it and restart the supervisor");
        } else {
            crashed(slot, status);
        }
        checkAllEnded();
    }

    private void crashed(Slot slot, int status) {
        long now = params.clock().millis();
        slot.crashes.addLast(now);
        while (!slot.crashes.isEmpty() && now - slot.crashes.peekFirst() > params.policy().crashLoopWindow().toMillis()) {
            slot.crashes.removeFirst();
        }
        if (slot.crashes.size() >= params.policy().crashLoopCrashes()) {
            giveUp(slot, "crash loop: " + slot.crashes.size() + " crashes within " + params.policy().crashLoopWindow().toSeconds()
                    + " s (last exit status " + status + ")");
            return;
        }
        slot.consecutiveCrashes++;
        long delay = Math.min(params.policy().restartBackoffMax().toMillis(),
                params.policy().restartBackoffInitial().toMillis() << Math.min(20, slot.consecutiveCrashes - 1));
        count(slot, "crash");
        log.warn("slot {}: worker crashed (exit status {}); restarting in {} ms", slot.index, status, delay);
        slot.state = SlotState.WAITING_TO_RESTART;
        timer.schedule(() -> launch(slot), delay, TimeUnit.MILLISECONDS);
    }

    private void giveUp(Slot slot, String reason) {
        slot.state = SlotState.GAVE_UP;
        gaveUp(slot).increment();
        log.error("slot {}: not restarting: {}", slot.index, reason);
        try {
            params.alerts().send(new Alert("supervisor-gave-up:" + slot.index, Alert.Severity.CRITICAL, Alert.Status.FIRING,
                    "worker slot " + slot.index + " is down for good", reason, Map.of("slot", Integer.toString(slot.index)), params.clock().instant()));
        } catch (Exception e) {
            log.error("could not send the supervisor alert: {}", e.toString());
        }
    }

    private void count(Slot slot, String reason) {
        restarts(slot, reason).increment();
    }

    private void checkAllEnded() {
        if (slots.stream().allMatch(s -> s.state == SlotState.STOPPED || s.state == SlotState.GAVE_UP)) {
            allEnded.complete(null);
        }
    }

    /** Completes when no slot runs or waits to restart any more. */
    public CompletableFuture<Void> allEnded() {
        return allEnded;
    }

    public List<SlotState> states() {
        return slots.stream().map(s -> s.state).toList();
    }

    public List<Long> pids() {
        return slots.stream().map(s -> s.process == null || !s.process.isAlive() ? -1L : s.process.pid()).toList();
    }

    /** Forwards SIGTERM to every child, waits up to the grace period, then kills what is left. */
    @Override
    public void close() {
        List<Process> running;
        synchronized (this) {
            stopping = true;
            running = slots.stream().map(s -> s.process).filter(p -> p != null && p.isAlive()).toList();
        }
        running.forEach(Process::destroy);
        long deadline = System.nanoTime() + params.stopGrace().toNanos();
        for (Process p : running) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("worker process {} still running after {} s; killing it (its jobs come back through recovery)",
                            p.pid(), params.stopGrace().toSeconds());
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        timer.shutdownNow();
    }

    private Counter restarts(Slot slot, String reason) {
        return Counter.builder("packline.supervisor.restarts").description("worker processes restarted, by reason")
                .tags("slot", Integer.toString(slot.index), "reason", reason).register(params.registry());
    }

    private Counter gaveUp(Slot slot) {
        return Counter.builder("packline.supervisor.gave.up").description("slots the supervisor stopped restarting")
                .tag("slot", Integer.toString(slot.index)).register(params.registry());
    }
}
