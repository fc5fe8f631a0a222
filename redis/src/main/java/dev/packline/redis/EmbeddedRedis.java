package dev.packline.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
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
            // the server is made from its command line, not RedisServer's builder: the builder looks
            // up the jar's binary by running uname even when it is handed another executable
            List<String> conf = new ArrayList<>(List.of("bind 127.0.0.1", "dir " + dir.toAbsolutePath(), "save \"\"", "protected-mode no"));
            conf.addAll(settings);
            Path confFile = dir.resolve("embedded-redis-" + port + ".conf");
            Files.write(confFile, conf);
            RedisServer server = new RedisServer(port,
                    List.of(executable().get().getAbsolutePath(), confFile.toAbsolutePath().toString(), "--port", Integer.toString(port)), true);
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
            String bundled = BUNDLED.get(System.getProperty("os.arch"));
            if (bundled != null && System.getProperty("os.name", "").equals("Linux")) {
                return () -> extracted(bundled);
            }
            return ExecutableProvider.newJarResourceProvider();
        }
    }

    /**
     * The Linux binaries inside the embedded-redis jar, by the JVM's os.arch. The library's own
     * lookup runs {@code uname -m} to choose one, which fails on a host without coreutils on PATH
     * (a container, a stripped release-build check); the JVM knows the architecture already.
     */
    private static final Map<String, String> BUNDLED = Map.of(
            "amd64", "redis-server-6.2.6-v5-linux-amd64",
            "aarch64", "redis-server-6.2.7-linux-arm64");

    private static File extractedBinary;

    /** The bundled binary copied once per JVM to a temporary executable file (deleted at exit). */
    private static synchronized File extracted(String resource) throws IOException {
        if (extractedBinary != null && extractedBinary.canExecute()) {
            return extractedBinary;
        }
        Path file = Files.createTempFile("packline-redis-server-", "");
        try (var in = RedisServer.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("the embedded-redis jar holds no " + resource);
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!file.toFile().setExecutable(true, true)) {
            throw new IOException("cannot make " + file + " executable");
        }
        file.toFile().deleteOnExit();
        extractedBinary = file.toFile();
        return extractedBinary;
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

    /**
     * The first of {@code count} consecutive free loopback ports, all below the kernel's ephemeral
     * range (net.ipv4.ip_local_port_range), so no outgoing connection can take one of them after
     * they are picked: a worker supervisor serves its metrics on a base port and gives slot N's
     * worker base + 1 + N, and with a base from {@link #freePort()} an outgoing connection held
     * base + 1 in a CI run, so that slot's worker crashed at every start.
     */
    public static int freePortBlock(int count) {
        int ephemeralLow = 32768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            ephemeralLow = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep the IANA dynamic range's usual start
        }
        int low = 10_000;
        int high = Math.max(low + 1_000, ephemeralLow) - count;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = random.nextInt(low, high);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback ports between " + low + " and " + high);
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                // it could be bound, so it is free; closing frees it again
            } catch (IOException e) {
                return false;
            }
        }
        return true;
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
