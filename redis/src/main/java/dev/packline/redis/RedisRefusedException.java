package dev.packline.redis;

/** Redis answered, but refused the command (a script error, a wrong type, out of memory...); retrying as is will not help. */
public class RedisRefusedException extends RuntimeException {
    public RedisRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
