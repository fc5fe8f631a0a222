package dev.packline.demo;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The platform's apps as child processes, each from its module's built jar and {@code target/lib}
 * (apps never depend on each other, so the demo and the system tests start them as a deployment
 * would). Each process's stdout, its JSON log lines, goes to NAME.log and its stderr to NAME.err.
 * {@link #close()} stops them with SIGTERM (the supervisor passes it on to its workers) and kills
 * what is still running after a grace period.
 */
public final class ServiceProcesses implements AutoCloseable {
    private final Path home;
    private final Path workDir;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param home    the checkout whose modules were built ({@code bin/packline build})
     * @param workDir the processes' working directory
     * @param logs    where each process's output goes, as NAME.log (stdout) and NAME.err (stderr)
     */
    public ServiceProcesses(Path home, Path workDir, Path logs) throws IOException {
        this.home = home;
        this.workDir = workDir;
        this.logs = Files.createDirectories(logs);
    }

    /** Starts {@code mainClass} from {@code module}'s jar; its output is appended to {@code logs/NAME.log} and {@code NAME.err}. */
    public Process start(String name, String module, String mainClass, List<String> args) throws IOException {
        return start(name, module, mainClass, args, Map.of());
    }

    /** As {@link #start(String, String, String, List)}, with extra environment variables (e.g. {@code PACKLINE_*} overrides). */
    public Process start(String name, String module, String mainClass, List<String> args, Map<String, String> env)
            throws IOException {
        return start(name, module, mainClass, args, env, List.of());
    }

    /**
     * As above, with {@code extraClasspath} after the module's jar and libraries: what an operator
     * adds to a deployment (a worker's handler version provider jar, docs/operations.md).
     */
    public synchronized Process start(String name, String module, String mainClass, List<String> args, Map<String, String> env,
                                      List<Path> extraClasspath) throws IOException {
        Process process = builder(name, module, mainClass, args, env, extraClasspath).start();
        processes.add(process);
        return process;
    }

    /** What a one-shot command printed and its exit status. */
    public record Completed(int status, String stdout, String stderr) {
    }

    /**
     * Runs {@code mainClass} from {@code module}'s jar to its end, as an operator runs a command
     * ({@code bin/packline admin ...}); it is not one of the services {@link #checkAlive()} watches.
     * Its output is also appended to {@code logs/NAME.log} and {@code NAME.err}.
     */
    public Completed run(String name, String module, String mainClass, List<String> args, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(logs, name, ".out");
        Path err = Files.createTempFile(logs, name, ".err");
        Process process = builder(name, module, mainClass, args, Map.of(), List.of())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(name + " did not end within " + timeout.toSeconds() + " s: " + String.join(" ", args));
        }
        Completed completed = new Completed(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.writeString(logs.resolve(name + ".log"), completed.stdout(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(logs.resolve(name + ".err"), completed.stderr(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Files.delete(out);
        Files.delete(err);
        return completed;
    }

    private ProcessBuilder builder(String name, String module, String mainClass, List<String> args, Map<String, String> env,
                                   List<Path> extraClasspath) throws IOException {
        Path target = home.resolve(module).resolve("target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(f -> f.getFileName().toString().endsWith(".jar") && !f.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst().orElseThrow(() -> new IOException("no jar in " + target + ": run bin/packline build"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("module " + module + " is not built (no " + target + "): run bin/packline build", e);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as bin/packline does: Netty's use of it is not the services' log
        }
        StringBuilder classpath = new StringBuilder(jar + File.pathSeparator + target.resolve("lib") + File.separator + "*");
        extraClasspath.forEach(entry -> classpath.append(File.pathSeparator).append(entry));
        command.addAll(List.of("-cp", classpath.toString(), mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".err").toFile()));
        builder.environment().putAll(env);
        return builder;
    }

    /** Waits until {@code url} answers 200, failing at once when a process exits meanwhile. */
    public void awaitHealthy(URI url, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                if (http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(url + " did not answer 200 within " + timeout.toSeconds() + " s; see " + logs);
    }

    /** Throws when one of the processes has exited: a service that stops by itself is a failure here. */
    public synchronized void checkAlive() throws IOException {
        for (Process p : processes) {
            if (!p.isAlive()) {
                throw new IOException("a service exited with status " + p.exitValue() + ": " + p.info().commandLine().orElse("?")
                        + "; see " + logs);
            }
        }
    }

    public Path logs() {
        return logs;
    }

    @Override
    public synchronized void close() {
        for (Process p : processes) {
            p.destroy(); // SIGTERM: the supervisor passes it on to its workers
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
