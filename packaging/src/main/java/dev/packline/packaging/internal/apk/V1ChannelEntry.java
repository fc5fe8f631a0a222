package dev.packline.packaging.internal.apk;

import dev.packline.packaging.Channel;
import dev.packline.packaging.MalformedApkException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.exception.ZipException;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.CompressionMethod;

/**
 * The channel of a v1-only APK (no signing block to put it in): an empty entry
 * META-INF/channel_NAME, added with zip4j. The v1 verifier ignores unsigned files directly under
 * META-INF/, so the JAR signature stays valid; the Meituan-style readers many apps ship look for
 * exactly this prefix. Android requires v2+ from targetSdk 30, so this is for older apps only.
 */
public final class V1ChannelEntry {
    private V1ChannelEntry() {
    }

    public static String entryName(Channel channel) {
        return ApkLayout.V1_CHANNEL_PREFIX + channel.name();
    }

    /** Appends the channel entry to {@code copyOfMother} in place. */
    public static void add(Path copyOfMother, Channel channel) throws IOException {
        ZipParameters parameters = new ZipParameters();
        parameters.setFileNameInZip(entryName(channel));
        parameters.setCompressionMethod(CompressionMethod.STORE);
        parameters.setEntrySize(0);
        parameters.setLastModifiedFileTime(315532800000L);
        try (ZipFile zip = new ZipFile(copyOfMother.toFile())) {
            zip.addStream(new ByteArrayInputStream(new byte[0]), parameters);
        }
    }

    /** Removes the entry named {@code entryName} from {@code copy} in place. */
    public static void remove(Path copy, String entryName) throws IOException, MalformedApkException {
        try (ZipFile zip = new ZipFile(copy.toFile())) {
            zip.removeFile(entryName);
        } catch (ZipException e) {
            throw new MalformedApkException("cannot remove " + entryName + ": " + e.getMessage(), e);
        }
    }
}
