package dev.packline.packaging.internal.apk;

import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.UNREADABLE_INPUT;

import dev.packline.packaging.MalformedApkException;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.SignatureScheme;
import dev.packline.packaging.internal.zip.CentralDirectory;
import dev.packline.packaging.internal.zip.CentralDirectoryTail;
import dev.packline.packaging.internal.zip.ZipSections;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The structure of one APK file as Packline needs it: the ZIP sections, the signing block if any,
 * the central directory bytes and entry names. Reading it touches only the end of the file.
 */
public record ApkLayout(Path path, ZipSections zip, Optional<SigningBlock> signingBlock,
        CentralDirectoryTail tail, List<CentralDirectory.Entry> entries) {

    public static final String MANIFEST = "AndroidManifest.xml";
    public static final String V1_CHANNEL_PREFIX = "META-INF/channel_";

    /** Checks the file is readable, a ZIP and an APK, and reads its layout. */
    public static ApkLayout read(Path apk) throws PackagingException {
        requireReadable(apk);
        try (FileChannel file = FileChannel.open(apk, StandardOpenOption.READ)) {
            return read(apk, file);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + apk + ": " + e.getMessage(), e);
        }
    }

    /** Reads the layout from an already open file. */
    public static ApkLayout read(Path apk, FileChannel file) throws PackagingException, IOException {
        ZipSections zip = ZipSections.locate(file);
        Optional<SigningBlock> block = SigningBlock.read(file, zip);
        CentralDirectoryTail tail = CentralDirectoryTail.read(file, zip);
        List<CentralDirectory.Entry> entries = CentralDirectory.entries(tail.bytes(), zip);
        if (entries.stream().noneMatch(entry -> entry.name().equals(MANIFEST))) {
            throw new MalformedApkException("not an APK (a ZIP archive without " + MANIFEST + ")");
        }
        long entriesEnd = block.map(SigningBlock::offset).orElse(zip.centralDirectoryOffset());
        for (CentralDirectory.Entry entry : entries) {
            if (entry.localHeaderOffset() >= entriesEnd) {
                throw new MalformedApkException("entry " + entry.name() + " claims to start at " + entry.localHeaderOffset()
                        + ", past the end of the entries (" + entriesEnd + ")");
            }
        }
        return new ApkLayout(apk, zip, block, tail, entries);
    }

    public static void requireReadable(Path file) throws PackagingException {
        if (!Files.exists(file)) {
            throw new PackagingException(UNREADABLE_INPUT, "file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new PackagingException(UNREADABLE_INPUT, "not a regular file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new PackagingException(UNREADABLE_INPUT, "file is not readable: " + file);
        }
    }

    /** The v4 signature file apksigner writes beside an APK. */
    public Path idsigPath() {
        return path.resolveSibling(path.getFileName() + ".idsig");
    }

    /** JAR signature files present under META-INF/ (a .SF with a matching .RSA, .DSA or .EC). */
    public boolean hasV1Signature() {
        for (CentralDirectory.Entry entry : entries) {
            String name = entry.name().toUpperCase(Locale.ROOT);
            if (name.startsWith("META-INF/") && name.endsWith(".SF") && name.indexOf('/', 9) < 0) {
                String base = entry.name().substring(0, entry.name().length() - 3);
                if (entries.stream().anyMatch(other -> other.name().equalsIgnoreCase(base + ".RSA")
                        || other.name().equalsIgnoreCase(base + ".DSA") || other.name().equalsIgnoreCase(base + ".EC"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The schemes whose signatures are present (not checked): from the block ids, META-INF and an .idsig beside. */
    public Set<SignatureScheme> schemesPresent() {
        Set<SignatureScheme> schemes = EnumSet.noneOf(SignatureScheme.class);
        if (hasV1Signature()) {
            schemes.add(SignatureScheme.V1);
        }
        signingBlock.ifPresent(block -> {
            if (block.has(SigningBlock.V2_ID)) {
                schemes.add(SignatureScheme.V2);
            }
            if (block.has(SigningBlock.V3_ID)) {
                schemes.add(SignatureScheme.V3);
            }
            if (block.has(SigningBlock.V31_ID)) {
                schemes.add(SignatureScheme.V31);
            }
        });
        if (Files.isRegularFile(idsigPath())) {
            schemes.add(SignatureScheme.V4);
        }
        return schemes;
    }

    /** True when the block holds a v2, v3 or v3.1 signature: channels go into the block. */
    public boolean signedWithBlock() {
        return signingBlock.map(block -> block.has(SigningBlock.V2_ID) || block.has(SigningBlock.V3_ID)
                || block.has(SigningBlock.V31_ID)).orElse(false);
    }

    public Optional<CentralDirectory.Entry> v1ChannelEntry() {
        return entries.stream().filter(entry -> entry.name().startsWith(V1_CHANNEL_PREFIX)
                && entry.name().length() > V1_CHANNEL_PREFIX.length()).findFirst();
    }

    /** Bytes of the mother reused unchanged by every channel APK: everything before the signing block. */
    public long prefixLength() {
        return signingBlock.map(SigningBlock::offset).orElse(zip.centralDirectoryOffset());
    }
}
