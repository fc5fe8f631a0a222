package dev.packline.update.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives a check route with wrk (Debian's package {@code wrk}: epoll, one event loop per thread,
 * latencies in an HdrHistogram), closed loop: each of N connections sends its next check as soon as
 * the last is answered. Every request is drawn at random from a file of simulated clients' check
 * paths by the script {@code check-load.lua}, whose {@code done} hook prints the run's counts and
 * latency percentiles as one JSON line. {@code bin/packline bench update} installs wrk when missing.
 */
final class WrkLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "check-load.lua";

    /** One wrk run: answered checks, failed ones (connect, read, write, timeout, non-2xx), latency percentiles. */
    record Result(long checks, long errors, double seconds, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
        double perSecond() {
            return checks / seconds;
        }
    }

    private final Path script;
    private final Path paths;
    private int threads;
    /** The CPUs wrk runs on ({@code taskset -c}), or null: wherever the scheduler puts it. */
    private String wrkCpus;

    private WrkLoad(Path script, Path paths, int threads) {
        this.script = script;
        this.paths = paths;
        this.threads = threads;
    }

    /** Writes the script and {@code pathCount} random clients' check paths under {@code dir}. */
    static WrkLoad prepare(BenchCatalogue catalogue, int pathCount, Path dir) throws IOException {
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = WrkLoad.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the wrk script " + SCRIPT + " is missing from the update-api jar");
            }
            Files.copy(in, script);
        }
        List<String> lines = new ArrayList<>(pathCount);
        for (int i = 0; i < pathCount; i++) {
            lines.add(catalogue.randomCheckPath());
        }
        Path paths = Files.write(dir.resolve("check-paths.txt"), lines, StandardCharsets.US_ASCII);
        return new WrkLoad(script, paths, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Puts this JVM's threads (and every thread they start) on the first half of the cores and wrk
     * on the other half, so neither preempts the other; returns what was pinned where.
     */
    String pin() throws IOException, InterruptedException {
        List<Integer> cpus = allowedCpus();
        if (cpus.size() < 2) {
            throw new IllegalStateException("--pin needs at least 2 CPUs; this process may use " + cpus);
        }
        int half = cpus.size() / 2;
        String serverCpus = cpuList(cpus.subList(0, half));
        wrkCpus = cpuList(cpus.subList(half, cpus.size()));
        threads = cpus.size() - half;
        Process taskset = new ProcessBuilder("taskset", "--all-tasks", "--pid", "--cpu-list", serverCpus, String.valueOf(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String out = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("taskset could not pin the benchmark's threads: " + out.strip());
        }
        return "server on CPUs " + serverCpus + ", wrk on CPUs " + wrkCpus;
    }

    /** The CPUs this process may run on (its {@code Cpus_allowed_list}: a container's cpuset is not always 0 to N-1). */
    private static List<Integer> allowedCpus() throws IOException {
        String list = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst()
                .orElseThrow(() -> new IllegalStateException("/proc/self/status has no Cpus_allowed_list"));
        return cpus(list);
    }

    /** The CPUs of a list such as {@code 0-3,8,10-11}. */
    static List<Integer> cpus(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String range : list.split(",")) {
            String[] ends = range.split("-");
            for (int cpu = Integer.parseInt(ends[0]); cpu <= Integer.parseInt(ends[ends.length - 1]); cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    private static String cpuList(List<Integer> cpus) {
        return String.join(",", cpus.stream().map(String::valueOf).toList());
    }

    Result drive(int port, int connections, Duration duration) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (wrkCpus != null) {
            command.addAll(List.of("taskset", "--cpu-list", wrkCpus));
        }
        command.addAll(List.of("wrk", "--threads", String.valueOf(Math.min(threads, connections)),
                "--connections", String.valueOf(connections), "--duration", duration.toSeconds() + "s", "--timeout", "10s",
                "--script", script.toString(), "http://127.0.0.1:" + port + "/v1/check", "--", paths.toString()));
        Process wrk;
        try {
            wrk = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IOException("cannot run wrk (bin/packline bench update installs Debian's wrk package when it is missing;"
                    + " or: bin/install-debian-package.sh wrk wrk)", e);
        }
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk did not finish within a minute of its " + duration.toSeconds() + " s run");
        }
        if (wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk exited with " + wrk.exitValue() + ": " + out.strip());
        }
        return parse(out);
    }

    /** The JSON line {@code check-load.lua} printed last, after wrk's own text summary. */
    static Result parse(String wrkOutput) {
        String line = wrkOutput.lines().filter(l -> l.startsWith("{")).reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("wrk printed no JSON summary (was the script's done hook run?): " + wrkOutput.strip()));
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("wrk's summary is not JSON: " + line, e);
        }
        long errors = n.get("connectErrors").asLong() + n.get("readErrors").asLong() + n.get("writeErrors").asLong()
                + n.get("statusErrors").asLong() + n.get("timeouts").asLong();
        // wrk counts a non-2xx answer among its requests too: only the others are checks answered
        return new Result(n.get("requests").asLong() - n.get("statusErrors").asLong(), errors, n.get("durationUs").asLong() / 1e6,
                millis(n.get("p50Us")), millis(n.get("p90Us")), millis(n.get("p99Us")), millis(n.get("maxUs")));
    }

    private static double millis(JsonNode micros) {
        return Math.round(micros.asLong() / 10.0) / 100.0;
    }
}
