package dev.packline.worker.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stand-in worker process for supervisor tests. Each start appends "start" to a log file; then it
 * exits with the next status from a script file (one status per line, consumed in order; "run"
 * means stay up until SIGTERM, appending "term" when it gets it).
 * Arguments: script file, log file, slot.
 */
public final class FakeWorkerMain {
    private FakeWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]);
        Path logFile = Path.of(args[1]);
        append(logFile, "start " + args[2]);
        String next;
        synchronized (FakeWorkerMain.class) {
            java.util.List<String> lines = Files.readAllLines(script);
            next = lines.isEmpty() ? "run" : lines.get(0);
            if (!lines.isEmpty()) {
                Files.write(script, lines.subList(1, lines.size()));
            }
        }
        if (next.equals("run")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> append(logFile, "term " + args[2])));
            Thread.sleep(Long.MAX_VALUE);
        }
        System.exit(Integer.parseInt(next));
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
