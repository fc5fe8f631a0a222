package dev.packline.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    private final ProcessHandle process;

    private EmbeddedRedis(RedisServer server, int port, Path dir, ProcessHandle process) {
        this.server = server;
        this.port = port;
        this.dir = dir;
        this.process = process;
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
            return new EmbeddedRedis(server, port, dataDir != null ? null : dir, serverProcess(port, settings));
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

    /**
     * The server's process, by the pid it reports: embedded-redis kills it with SIGKILL and does not
     * wait, so {@link #stop()} waits on this handle for the port and the data files to be free.
     */
    private static ProcessHandle serverProcess(int port, List<String> settings) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            settings.stream().filter(s -> s.startsWith("requirepass ")).findFirst()
                    .ifPresent(s -> jedis.auth(s.substring("requirepass ".length()).trim()));
            for (String line : jedis.info("server").split("\r?\n")) {
                if (line.startsWith("process_id:")) {
                    return ProcessHandle.of(Long.parseLong(line.substring("process_id:".length()).trim())).orElse(null);
                }
            }
        } catch (JedisException e) {
            log.warn("could not read the pid of redis-server on port {}; stop will not wait for it to exit: {}", port, e.toString());
        }
        return null;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Kills the server (SIGKILL: like a crash, which a server with {@code appendfsync always}
     * survives without losing an acknowledged write) and returns once its process has exited, so the
     * same port and data directory can be used again at once.
     */
    public void stop() {
        try {
            server.stop();
            if (process != null) {
                process.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop redis-server on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("redis-server on port " + port + " did not exit within 30 s of being killed", e);
        }
    }

    /** The server's process id. */
    public long pid() {
        return process == null ? -1 : process.pid();
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
