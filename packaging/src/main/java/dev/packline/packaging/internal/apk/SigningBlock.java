package dev.packline.packaging.internal.apk;

import dev.packline.packaging.MalformedApkException;
import dev.packline.packaging.internal.zip.ZipSections;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The APK Signing Block: the ID-value pairs that sit between the ZIP entries and the central
 * directory. Layout, little-endian: uint64 size (excluding itself), pairs of (uint64 length,
 * uint32 id, value of length-4 bytes), uint64 size again, the magic "APK Sig Block 42".
 *
 * <p>The v2/v3 signatures digest everything in the APK except this block, so pairs can be added
 * here without invalidating them. {@link #encode()} writes the pairs back in order, byte for
 * byte, and re-sizes the verity padding pair exactly as apksig does, so the block stays a multiple
 * of 4096 bytes (Android 9 refuses blocks that are not).
 */
public final class SigningBlock {
    public static final int V2_ID = 0x7109871a;
    public static final int V3_ID = 0xf05368c0;
    public static final int V31_ID = 0x1b93ad61;
    public static final int VERITY_PADDING_ID = 0x42726577;
    public static final int WALLE_ID = 0x71777777;
    public static final int VASDOLLY_ID = 0x881155ff;
    public static final int PAGE = 4096;
    /** Real blocks are kilobytes; a size field above this is a lie, not a reason to allocate it. */
    static final long MAX_SIZE = 64L << 20;
    private static final long MAGIC_LOW = 0x20676953204b5041L;
    private static final long MAGIC_HIGH = 0x3234206b636f6c42L;
    private static final int FOOTER = 24;

    /** One ID-value pair; {@code value} is never modified. */
    public record Pair(int id, byte[] value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Pair pair && pair.id == id && Arrays.equals(pair.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * id + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return String.format("Pair[id=0x%08x, %d bytes]", id, value.length);
        }
    }

    private final long offset;
    private final List<Pair> pairs;

    private SigningBlock(long offset, List<Pair> pairs) {
        this.offset = offset;
        this.pairs = List.copyOf(pairs);
    }

    /** A block at {@code offset} holding {@code pairs} (padding is added by {@link #encode()}). */
    public static SigningBlock of(long offset, List<Pair> pairs) {
        return new SigningBlock(offset, pairs);
    }

    /**
     * Reads the block that ends where the central directory starts, if there is one. A magic that
     * is present with sizes that contradict each other or the file is a malformed APK, not "no block".
     */
    public static Optional<SigningBlock> read(FileChannel file, ZipSections sections)
            throws IOException, MalformedApkException {
        long end = sections.centralDirectoryOffset();
        if (end < FOOTER + 8) {
            return Optional.empty();
        }
        ByteBuffer footer = ZipSections.read(file, end - FOOTER, FOOTER);
        if (footer.getLong(8) != MAGIC_LOW || footer.getLong(16) != MAGIC_HIGH) {
            return Optional.empty();
        }
        long sizeField = footer.getLong(0);
        if (sizeField < FOOTER || sizeField > MAX_SIZE || sizeField + 8 > end) {
            throw new MalformedApkException("APK Signing Block size field lies (" + sizeField
                    + " bytes, with " + end + " bytes before the central directory)");
        }
        long offset = end - sizeField - 8;
        ByteBuffer block = ZipSections.read(file, offset, (int) (sizeField + 8));
        if (block.getLong(0) != sizeField) {
            throw new MalformedApkException("APK Signing Block size fields disagree (" + block.getLong(0)
                    + " at its start, " + sizeField + " at its end)");
        }
        ByteBuffer pairBytes = block.slice(8, block.capacity() - FOOTER - 8).order(ByteOrder.LITTLE_ENDIAN);
        return Optional.of(new SigningBlock(offset, parsePairs(pairBytes)));
    }

    private static List<Pair> parsePairs(ByteBuffer bytes) throws MalformedApkException {
        List<Pair> pairs = new ArrayList<>();
        while (bytes.hasRemaining()) {
            int number = pairs.size() + 1;
            if (bytes.remaining() < 8) {
                throw new MalformedApkException("APK Signing Block pair #" + number + " is truncated");
            }
            long length = bytes.getLong();
            if (length < 4 || length > bytes.remaining()) {
                throw new MalformedApkException("APK Signing Block pair #" + number + " length lies (" + length
                        + ", " + bytes.remaining() + " bytes left)");
            }
            int id = bytes.getInt();
            byte[] value = new byte[(int) length - 4];
            bytes.get(value);
            pairs.add(new Pair(id, value));
        }
        return pairs;
    }

    /** Where the block starts in the file. */
    public long offset() {
        return offset;
    }

    public List<Pair> pairs() {
        return pairs;
    }

    public Optional<Pair> find(int id) {
        return pairs.stream().filter(pair -> pair.id() == id).findFirst();
    }

    public boolean has(int id) {
        return find(id).isPresent();
    }

    /** The same block without the pairs whose ids are listed (nor the padding, which is recomputed). */
    public SigningBlock without(Set<Integer> ids) {
        return new SigningBlock(offset, pairs.stream().filter(pair -> !ids.contains(pair.id())).toList());
    }

    /** The same block with {@code added} after every existing pair other than the padding. */
    public SigningBlock with(List<Pair> added) {
        List<Pair> next = new ArrayList<>(pairs.stream().filter(pair -> pair.id() != VERITY_PADDING_ID).toList());
        next.addAll(added);
        return new SigningBlock(offset, next);
    }

    /** The pairs other than the verity padding, which {@link #encode()} recomputes. */
    public List<Pair> contentPairs() {
        return pairs.stream().filter(pair -> pair.id() != VERITY_PADDING_ID).toList();
    }

    /**
     * The block as bytes: every pair except the padding in order, then a zero-filled padding pair
     * sized so the whole block is a multiple of 4096 (the same rule and layout as apksig).
     */
    public byte[] encode() {
        List<Pair> content = contentPairs();
        long size = 8 + 8 + 16;
        for (Pair pair : content) {
            size += 12L + pair.value().length;
        }
        int padding = 0;
        if (size % PAGE != 0) {
            padding = (int) (PAGE - size % PAGE);
            if (padding < 12) {
                padding += PAGE;
            }
        }
        long total = size + padding;
        if (total > MAX_SIZE) {
            throw new IllegalStateException("APK Signing Block would grow to " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(total - 8);
        for (Pair pair : content) {
            out.putLong(4L + pair.value().length).putInt(pair.id()).put(pair.value());
        }
        if (padding > 0) {
            out.putLong(padding - 8).putInt(VERITY_PADDING_ID);
            out.position(out.position() + padding - 12);
        }
        out.putLong(total - 8).putLong(MAGIC_LOW).putLong(MAGIC_HIGH);
        return out.array();
    }

}
