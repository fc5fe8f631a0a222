package dev.packline.releases.redis;

/** A catalogue record in Redis that cannot be read back (hand-edited, or written by an incompatible version). */
public final class CorruptRecordException extends RuntimeException {
    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
