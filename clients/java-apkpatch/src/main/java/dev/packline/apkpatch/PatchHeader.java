package dev.packline.apkpatch;

import static dev.packline.apkpatch.ApkPatchException.Failure.CORRUPT_PATCH;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fixed 172-byte header of a zip-aware patch (big-endian): magic {@code PLZDELTA}, version 1,
 * size and SHA-256 of the old and the new APK, sizes of the two delta-friendly files, the lengths
 * of the four XZ sections that follow it (plan, control, diff, extra) and the SHA-256 of those
 * sections. It is read before anything is decompressed, so a patch for another base is refused at
 * once, and a damaged patch before any byte of it is used (XZ checks a block only at its end).
 */
public final class PatchHeader {
    public static final int LENGTH = 172;
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "PLZDELTA".getBytes(StandardCharsets.US_ASCII);

    private final long oldSize;
    private final byte[] oldSha256;
    private final long newSize;
    private final byte[] newSha256;
    private final long deltaOldSize;
    private final long deltaNewSize;
    private final long[] sectionLengths;
    private final byte[] sectionsSha256;

    /**
     * {@code sectionLengths}: compressed lengths of the plan, control, diff and extra sections;
     * {@code sectionsSha256}: SHA-256 of the four sections as they follow the header.
     */
    public PatchHeader(long oldSize, byte[] oldSha256, long newSize, byte[] newSha256, long deltaOldSize, long deltaNewSize,
            long[] sectionLengths, byte[] sectionsSha256) {
        if (oldSha256.length != 32 || newSha256.length != 32 || sectionsSha256.length != 32 || sectionLengths.length != 4) {
            throw new IllegalArgumentException("a header needs three 32-byte SHA-256 digests and four section lengths");
        }
        this.sectionsSha256 = sectionsSha256.clone();
        this.oldSize = oldSize;
        this.oldSha256 = oldSha256.clone();
        this.newSize = newSize;
        this.newSha256 = newSha256.clone();
        this.deltaOldSize = deltaOldSize;
        this.deltaNewSize = deltaNewSize;
        this.sectionLengths = sectionLengths.clone();
    }

    /** Whether {@code file} starts with the zip-aware patch magic (a client that also takes bsdiff patches can tell them apart). */
    public static boolean isZipAwarePatch(File file) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        InputStream in = new FileInputStream(file);
        try {
            int read = 0;
            while (read < magic.length) {
                int count = in.read(magic, read, magic.length - read);
                if (count < 0) {
                    return false;
                }
                read += count;
            }
            return Arrays.equals(magic, MAGIC);
        } finally {
            in.close();
        }
    }

    /** Reads and sanity-checks a header; {@code patchSize} is the whole patch file's size. */
    public static PatchHeader read(InputStream in, long patchSize) throws IOException, ApkPatchException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        try {
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ApkPatchException(CORRUPT_PATCH, "not a zip-aware APK patch (no PLZDELTA magic)");
            }
            int version = data.readInt();
            if (version != VERSION) {
                throw new ApkPatchException(CORRUPT_PATCH, "zip-aware patch version " + version + " is not supported (this applier reads "
                        + VERSION + ")");
            }
            long oldSize = data.readLong();
            byte[] oldSha = new byte[32];
            data.readFully(oldSha);
            long newSize = data.readLong();
            byte[] newSha = new byte[32];
            data.readFully(newSha);
            long deltaOld = data.readLong();
            long deltaNew = data.readLong();
            long[] sections = new long[4];
            long total = LENGTH;
            for (int i = 0; i < 4; i++) {
                sections[i] = data.readLong();
                if (sections[i] < 0) {
                    throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: negative section length");
                }
                total += sections[i];
            }
            byte[] sectionsSha = new byte[32];
            data.readFully(sectionsSha);
            if (oldSize < 0 || newSize < 0 || deltaOld < 0 || deltaNew < 0 || total != patchSize) {
                throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: its header's sizes contradict each other or the "
                        + patchSize + "-byte file (truncated?)");
            }
            return new PatchHeader(oldSize, oldSha, newSize, newSha, deltaOld, deltaNew, sections, sectionsSha);
        } catch (EOFException e) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: shorter than its " + LENGTH + "-byte header", e);
        }
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        data.writeInt(VERSION);
        data.writeLong(oldSize);
        data.write(oldSha256);
        data.writeLong(newSize);
        data.write(newSha256);
        data.writeLong(deltaOldSize);
        data.writeLong(deltaNewSize);
        for (long length : sectionLengths) {
            data.writeLong(length);
        }
        data.write(sectionsSha256);
        data.flush();
    }

    public long oldSize() {
        return oldSize;
    }

    public byte[] oldSha256() {
        return oldSha256.clone();
    }

    public long newSize() {
        return newSize;
    }

    public byte[] newSha256() {
        return newSha256.clone();
    }

    public byte[] sectionsSha256() {
        return sectionsSha256.clone();
    }

    public long deltaOldSize() {
        return deltaOldSize;
    }

    public long deltaNewSize() {
        return deltaNewSize;
    }

    /** Where section {@code index} (0 plan, 1 control, 2 diff, 3 extra) starts in the patch file. */
    public long sectionOffset(int index) {
        long offset = LENGTH;
        for (int i = 0; i < index; i++) {
            offset += sectionLengths[i];
        }
        return offset;
    }

    public long sectionLength(int index) {
        return sectionLengths[index];
    }
}
