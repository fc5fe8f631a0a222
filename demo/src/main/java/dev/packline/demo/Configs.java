package dev.packline.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The demo's worker and API configuration: the shipped examples' shape, shrunk to one machine. */
final class Configs {
    private Configs() {
    }

    static Path writeWorker(Path dir, int metricsPort, String webhookUrl, String webhookSecret) throws IOException {
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
                  allowedRoots: [%s]
                stores:
                  local:
                    kind: local
                    path: %s
                limits:
                  diskConcurrency: 2
                pipeline:
                  workDir: %s
                notifications:
                  demo-webhook:
                    kind: webhook
                    url: %s
                    secret: %s
                """.formatted(metricsPort, dir.resolve("var/mothers"), dir.resolve("mothers"), dir.resolve("store"), dir.resolve("var/work"),
                webhookUrl, webhookSecret);
        Path file = dir.resolve("worker.yml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    static Path writeApi(Path dir, int port, Path workerConfig, String tokenSha256) throws IOException {
        String yaml = """
                # written by bin/packline demo
                server:
                  bind: 127.0.0.1
                  port: %d
                pipeline:
                  workerConfig: %s
                logging:
                  format: json
                publishers:
                  demo:
                    tokens:
                      demo:
                        sha256: %s
                """.formatted(port, workerConfig, tokenSha256);
        Path file = dir.resolve("api.yml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }
}
