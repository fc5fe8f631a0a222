package dev.packline.storage.multipart;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A download's body whose close also closes the SDK response it came from: an unclosed response
 * keeps its pooled connection, and enough of them exhaust the pool (a known OSS SDK trouble).
 */
public final class ResponseStream extends FilterInputStream {
    private final Closeable response;

    public ResponseStream(InputStream body, Closeable response) {
        super(body);
        this.response = response;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            response.close();
        }
    }
}
