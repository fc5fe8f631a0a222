package dev.packline.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worker and API configuration of the demo and the system tests: the shipped examples' shape,
 * shrunk to one machine. Timings a test wants different come as {@code PACKLINE_*} environment
 * overrides, the way operators tune a deployment.
 */
public final class Configs {
    private Configs() {
    }

    /**
     * A worker configuration file.
     *
     * @param metricsPort   the supervisor's metrics port (its workers use the next ones)
     * @param webhookUrl    the Standard Webhooks channel {@code demo-webhook} delivers to
     * @param webhookSecret its {@code whsec_} secret
     * @param stores        the entries of the {@code stores:} section, YAML indented by two spaces
     */
    public record WorkerFile(int metricsPort, String webhookUrl, String webhookSecret, String stores) {
        /** Writes {@code DIR/worker.yml} and {@code DIR/pipeline.yml}: mothers may come from {@code DIR/mothers}, caches and work files go under {@code DIR/var}. */
        public Path write(Path dir) throws IOException {
            return writeWorker(dir, this);
        }
    }

    static Path writeWorker(Path dir, int metricsPort, String webhookUrl, String webhookSecret) throws IOException {
        return writeWorker(dir, new WorkerFile(metricsPort, webhookUrl, webhookSecret, """
                  local:
                    kind: local
                    path: %s
                """.formatted(dir.resolve("store"))));
    }

    /** Writes {@code DIR/worker.yml} and the shared {@code DIR/pipeline.yml} it names (the API reads that one too). */
    private static Path writeWorker(Path dir, WorkerFile file) throws IOException {
        String yaml = """
                # written by bin/packline demo
                queues:
                  package: {concurrency: 4}
                  upload: {concurrency: 8}
                  diff: {concurrency: 1}
                  notify: {concurrency: 2}
                worker:
                  maxJobsPerWorker: 60      # low on purpose: each worker process recycles during the demo
                  shutdownTimeout: 5s
                metrics:
                  port: %d
                  bind: 127.0.0.1
                logging:
                  format: json
                supervisor:
                  processes: 2
                mothers:
                  cacheDir: %s
                limits:
                  diskConcurrency: 2
                pipeline:
                  shared: pipeline.yml
                  workDir: %s
                """.formatted(file.metricsPort(), dir.resolve("var/mothers"), dir.resolve("var/work"));
        String shared = """
                # written by bin/packline demo: what the workers and the API agree on
                mothers:
                  allowedRoots: [%s]
                stores:
                %s
                notifications:
                  demo-webhook:
                    kind: webhook
                    url: %s
                    secret: %s
                """.formatted(dir.resolve("mothers"), file.stores().stripTrailing(), file.webhookUrl(), file.webhookSecret());
        Files.writeString(sharedFile(dir), shared, StandardCharsets.UTF_8);
        Path out = dir.resolve("worker.yml");
        Files.writeString(out, yaml, StandardCharsets.UTF_8);
        return out;
    }

    /** The shared pipeline file of a directory the demo wrote. */
    public static Path sharedFile(Path dir) {
        return dir.resolve("pipeline.yml");
    }

    public static Path writeApi(Path dir, int port, Path sharedConfig, String tokenSha256) throws IOException {
        String yaml = """
                # written by bin/packline demo
                server:
                  bind: 127.0.0.1
                  port: %d
                pipeline:
                  shared: %s
                logging:
                  format: json
                publishers:
                  demo:
                    tokens:
                      demo:
                        sha256: %s
                """.formatted(port, sharedConfig, tokenSha256);
        Path file = dir.resolve("api.yml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }
}
