package dev.packline.redis;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jedis failures as the two outcomes callers act on, each naming the operation; on a real server. */
class RedisErrorsTest {
    @Test
    void aServerThatIsGoneIsUnavailableAndACommandRedisRejectsIsRefused() {
        EmbeddedRedis server = EmbeddedRedis.start();
        try (UnifiedJedis redis = RedisConnector.open(server.url(), 2)) {
            assertEquals("OK", RedisErrors.call("set a key", () -> redis.set("k", "v")));

            RedisRefusedException refused = assertThrows(RedisRefusedException.class,
                    () -> RedisErrors.call("push onto a string", () -> redis.lpush("k", "x")));
            assertTrue(refused.getMessage().startsWith("Redis refused to push onto a string: WRONGTYPE"), refused.getMessage());

            server.close();
            RedisUnavailableException down = assertThrows(RedisUnavailableException.class,
                    () -> RedisErrors.call("read a key", () -> redis.get("k")));
            assertTrue(down.getMessage().startsWith("Redis unreachable while trying to read a key"), down.getMessage());
        } finally {
            server.close();
        }
    }
}
