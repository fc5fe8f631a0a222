package dev.packline.queue.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server on a free loopback port, for local commands, the demo and tests: the one on
 * PATH when there is one (a packaged, current Redis), otherwise the binary shipped inside the
 * embedded-redis jar. Data lives in a temporary directory deleted on close.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final RedisServer server;
    private final int port;
    private final Path dir;

    private EmbeddedRedis(RedisServer server, int port, Path dir) {
        this.server = server;
        this.port = port;
        this.dir = dir;
    }

    public static EmbeddedRedis start() {
        return start(List.of());
    }

    /** Starts with extra redis.conf lines, e.g. {@code appendonly yes} or {@code cluster-enabled yes}. */
    public static EmbeddedRedis start(List<String> settings) {
        return start(freePort(), settings, null);
    }

    /** Starts on a given port and data directory (a restart of the same server keeps its AOF). */
    public static EmbeddedRedis start(int port, List<String> settings, Path dataDir) {
        try {
            Path dir = dataDir != null ? dataDir : Files.createTempDirectory("packline-redis-");
            var builder = RedisServer.newRedisServer()
                    .executableProvider(executable())
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("save \"\"")
                    .setting("protected-mode no")
                    .onShutdownForceStop(true);
            List<String> all = new ArrayList<>(settings);
            for (String setting : all) {
                builder.setting(setting);
            }
            RedisServer server = builder.build();
            server.start();
            return new EmbeddedRedis(server, port, dataDir != null ? null : dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static ExecutableProvider executable() {
        try {
            ExecutableProvider onPath = ExecutableProvider.newExecutableInPath("redis-server");
            log.debug("using redis-server from PATH");
            return onPath;
        } catch (IOException | RuntimeException notOnPath) {
            return ExecutableProvider.newJarResourceProvider();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop redis-server on port " + port, e);
        }
    }

    @Override
    public void close() {
        stop();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                log.debug("could not delete {}: {}", dir, e.toString());
            }
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
