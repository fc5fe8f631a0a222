package dev.packline.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A periodic task survives whatever its rounds throw, Errors included, and names itself when it reports them. */
class PeriodicTaskTest {
    /** A task whose first rounds throw the given failures, one each, then count quietly. */
    private static final class Scripted extends PeriodicTask {
        final List<Throwable> script;
        final AtomicInteger rounds = new AtomicInteger();

        Scripted(List<Throwable> script, Failures failures) {
            super("scripted-loop", Duration.ofMillis(5), failures);
            this.script = new CopyOnWriteArrayList<>(script);
        }

        @Override
        protected void runOnce() throws Exception {
            int round = rounds.getAndIncrement();
            if (round < script.size()) {
                Throwable failure = script.get(round);
                if (failure instanceof Exception e) {
                    throw e;
                }
                throw (Error) failure;
            }
        }
    }

    @Test
    void errorsAndExceptionsAreReportedWithTheComponentsNameAndTheLoopRunsAgain() throws Exception {
        AssertionError bug = new AssertionError("injected bug");
        StackOverflowError deep = new StackOverflowError("injected recursion");
        IllegalStateException exception = new IllegalStateException("injected exception");
        Map<Throwable, String> reported = new ConcurrentHashMap<>();
        try (Scripted task = new Scripted(List.of(bug, deep, exception), (component, error) -> reported.put(error, component))) {
            task.start();
            await("the loop ran past its failures", () -> task.rounds.get() > 5);
        }
        assertEquals(Map.of(bug, "scripted-loop", deep, "scripted-loop", exception, "scripted-loop"), reported);
    }

    @Test
    void onlyWhatMustEndTheProcessEndsTheLoop() throws Exception {
        OutOfMemoryError fatal = new OutOfMemoryError("injected: the JVM cannot be trusted now");
        Map<String, Throwable> reported = new ConcurrentHashMap<>();
        try (Scripted task = new Scripted(List.of(fatal), (component, error) -> reported.put(component, error))) {
            task.start();
            await("the failure was reported", () -> reported.containsKey("scripted-loop"));
            Thread.sleep(100); // twenty intervals: a loop still running would have gone round again
            assertEquals(1, task.rounds.get(), "the loop stopped at the fatal error");
        }
        assertSame(fatal, reported.get("scripted-loop"));
        assertTrue(PeriodicTask.mustEndProcess(new InternalError()));
        assertFalse(PeriodicTask.mustEndProcess(new StackOverflowError()));
        assertFalse(PeriodicTask.mustEndProcess(new AssertionError()));
        assertFalse(PeriodicTask.mustEndProcess(new RuntimeException()));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
