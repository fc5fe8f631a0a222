package dev.packline.storage.multipart;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Tells every byte an SDK reads from a part's stream: what went over the network, retries included. Not markable, so an SDK cannot re-read it silently. */
final class CountingStream extends FilterInputStream {
    private final LongConsumer counted;

    CountingStream(InputStream in, LongConsumer counted) {
        super(in);
        this.counted = counted;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted.accept(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = super.read(buffer, off, len);
        if (n > 0) {
            counted.accept(n);
        }
        return n;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
