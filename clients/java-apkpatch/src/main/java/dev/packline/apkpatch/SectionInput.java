package dev.packline.apkpatch;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.tukaani.xz.XZInputStream;

/** One XZ section of a patch file, opened on its own file handle so sections can be read side by side. */
final class SectionInput extends FilterInputStream {
    private long left;

    private SectionInput(InputStream in, long length) {
        super(in);
        this.left = length;
    }

    /** The decompressed content of the section at {@code offset}, {@code length} compressed bytes long. */
    static InputStream open(File patch, long offset, long length) throws IOException {
        FileInputStream file = new FileInputStream(patch);
        try {
            long skipped = 0;
            while (skipped < offset) {
                long step = file.skip(offset - skipped);
                if (step <= 0) {
                    throw new IOException("cannot position at " + offset + " in " + patch);
                }
                skipped += step;
            }
            // XZ for Java's default memory limit is none; a section's dictionary is at most 8 MiB (preset 6, see PatchWriter)
            return new BufferedInputStream(new XZInputStream(new SectionInput(new BufferedInputStream(file, 1 << 16), length), 64 << 10), 1 << 16);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int b = super.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int read = super.read(buffer, offset, (int) Math.min(length, left));
        if (read > 0) {
            left -= read;
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, left));
        left -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(super.available(), left);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
