package dev.packline.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded server as the system tests use it: stop returns once the process is gone (the
 * library only sends SIGKILL), and a server restarted on the same port and data directory with
 * {@code appendfsync always} has every acknowledged write, though it was killed.
 */
class EmbeddedRedisTest {
    @TempDir
    Path data;

    @Test
    void aKilledServerIsGoneWhenStopReturnsAndItsRestartKeepsEveryWriteFromTheAppendOnlyFile() {
        List<String> aof = List.of("appendonly yes", "appendfsync always");
        int port = EmbeddedRedis.freePort();
        EmbeddedRedis first = EmbeddedRedis.start(port, aof, data);
        long pid = first.pid();
        assertTrue(pid > 0, "the server's pid is known");
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (int i = 0; i < 100; i++) {
                jedis.rpush("list", Integer.toString(i));
            }
        }
        first.stop();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the killed server's process has exited");

        try (EmbeddedRedis second = EmbeddedRedis.start(port, aof, data); Jedis jedis = new Jedis("127.0.0.1", port)) {
            assertEquals(100, jedis.llen("list"));
            assertEquals("99", jedis.lindex("list", -1));
        }
    }

    @Test
    void aServerWithAPasswordIsAlsoWaitedFor() {
        EmbeddedRedis server = EmbeddedRedis.start(List.of("requirepass s3cret-for-test"));
        long pid = server.pid();
        assertTrue(pid > 0, "the pid is read with the password");
        server.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
}
