package dev.packline.packaging;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * A channel APK described as a reuse of its mother: the first {@link #prefixLength()} bytes are
 * the mother's bytes unchanged (the ZIP entries), followed by {@link #tailLength()} new bytes
 * (signing block with the channel, central directory, end records). An uploader that can copy a
 * byte range of an object server-side copies the prefix from the uploaded mother and uploads only
 * the tail. The tail is a few kilobytes plus the central directory; it does not grow with the APK.
 */
public final class ChannelTail {
    private final Channel channel;
    private final long prefixLength;
    private final byte[] tail;

    ChannelTail(Channel channel, long prefixLength, byte[] tail) {
        this.channel = channel;
        this.prefixLength = prefixLength;
        this.tail = tail;
    }

    public Channel channel() {
        return channel;
    }

    /** Bytes of the mother, from offset 0, reused unchanged. */
    public long prefixLength() {
        return prefixLength;
    }

    public int tailLength() {
        return tail.length;
    }

    /** Size of the whole channel APK. */
    public long totalLength() {
        return prefixLength + tail.length;
    }

    /** A fresh stream over the tail bytes. */
    public InputStream openTail() {
        return new ByteArrayInputStream(tail);
    }

    /** A copy of the tail bytes. */
    public byte[] tailBytes() {
        return tail.clone();
    }

    byte[] tailBytesUnsafe() {
        return tail;
    }
}
