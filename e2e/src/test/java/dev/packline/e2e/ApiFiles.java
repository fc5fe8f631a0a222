package dev.packline.e2e;

import dev.packline.api.auth.Publishers;
import dev.packline.queue.TestRedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The producer API's configuration the flow tests start it with: the test Redis, a free port, the shared worker.yml, one publisher. */
final class ApiFiles {
    private ApiFiles() {
    }

    /** Writes {@code dir/api.yml} for one publisher with one token (stored as its SHA-256); returns its path. */
    static Path apiYml(Path dir, String publisher, String token) throws IOException {
        return Files.writeString(dir.resolve("api.yml"), """
                redis: {url: "%s"}
                server: {bind: 127.0.0.1, port: 0}
                pipeline: {shared: worker.yml}
                logging: {format: console}
                publishers:
                  %s:
                    tokens:
                      ci: {sha256: %s}
                """.formatted(TestRedis.url(), publisher, Publishers.sha256Hex(token)));
    }
}
