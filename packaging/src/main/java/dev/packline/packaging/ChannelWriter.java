package dev.packline.packaging;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.NOT_SIGNED;
import static dev.packline.packaging.PackagingException.Problem.REFUSED;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.ChannelPairs;
import dev.packline.packaging.internal.apk.SigningBlock;
import dev.packline.packaging.internal.apk.StructuralCheck;
import dev.packline.packaging.internal.apk.V1ChannelEntry;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Writes channel APKs from one signed mother. {@link #open} runs every pre-check that needs only
 * the mother's structure; the first {@link #write} is verified fully with apksig (the reference),
 * later ones structurally against it; each {@link #write} streams the mother's entries with a kernel file copy, appends a new tail (signing
 * block with the channel pair, central directory, end records) and verifies the result before it
 * is renamed into place. See docs/packaging.md for the verification argument.
 *
 * <p>Thread-safe: any number of threads (virtual ones included) may call {@link #tail} and
 * {@link #write} concurrently. The mother stays open until {@link #close}; heap use per write is
 * the tail, independent of the APK's size.
 */
public final class ChannelWriter implements AutoCloseable {

    /**
     * Channel format, and the lowest Android platform the mother and the outputs are verified for:
     * empty for the manifest's minSdk, or a higher one, as apksigner's {@code --min-sdk-version}, for
     * mothers whose signatures target more than their manifest states.
     */
    public record Options(ChannelFormat format, OptionalInt minSdk) {
        public Options {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(minSdk, "minSdk");
            if (format == ChannelFormat.V1_ENTRY) {
                throw new IllegalArgumentException("v1 entries are chosen by the mother, not by the caller");
            }
            if (minSdk.isPresent() && minSdk.getAsInt() < 1) {
                throw new IllegalArgumentException("minSdk must be 1 or more, got " + minSdk.getAsInt());
            }
        }

        public Options(ChannelFormat format) {
            this(format, OptionalInt.empty());
        }

        public static Options defaults() {
            return new Options(ChannelFormat.WALLE);
        }
    }

    private final ApkLayout layout;
    private final ManifestFacts manifest;
    private final Options options;
    private final FileChannel mother;
    private final long motherSize;
    private final FileTime motherModified;
    private final boolean v1Route;
    private final ReferenceVerification reference;

    private ChannelWriter(ApkLayout layout, ManifestFacts manifest, Options options, FileChannel mother, boolean v1Route)
            throws IOException {
        this.layout = layout;
        this.manifest = manifest;
        this.options = options;
        this.mother = mother;
        this.motherSize = mother.size();
        this.motherModified = Files.getLastModifiedTime(layout.path());
        this.v1Route = v1Route;
        this.reference = new ReferenceVerification(layout, options.minSdk().orElse(manifest.minSdk()), mother);
    }

    /**
     * Opens the mother and runs the structural pre-checks, each with its own error: readable, a
     * ZIP, an APK, signed, no channel yet, and for v1-only APKs a targetSdk below 30. A v4
     * signature ({@code .idsig} beside the mother) is no obstacle: it covers the mother's bytes only,
     * the outputs are new files without one ({@link #motherV4Signature}).
     */
    public static ChannelWriter open(Path motherPath, Options options) throws PackagingException {
        Objects.requireNonNull(options, "options");
        ApkLayout layout = ApkLayout.read(motherPath);
        ManifestFacts manifest = ManifestFacts.read(motherPath);
        boolean v1Route = !layout.signedWithBlock();
        if (v1Route && !layout.hasV1Signature()) {
            throw new PackagingException(NOT_SIGNED, "APK is not signed: " + motherPath.getFileName()
                    + " has no v1 JAR signature and no v2/v3 signature in an APK Signing Block");
        }
        Optional<ChannelInfo> existing = v1Route
                ? layout.v1ChannelEntry().map(entry -> new ChannelInfo(
                        entry.name().substring(ApkLayout.V1_CHANNEL_PREFIX.length()), java.util.Map.of(), ChannelFormat.V1_ENTRY))
                : ChannelPairs.decode(layout.signingBlock().orElseThrow());
        if (existing.isPresent()) {
            throw new PackagingException(REFUSED, "APK already carries channel '" + existing.get().name()
                    + "'; write channels from the mother, or strip this one first (channel strip)");
        }
        if (v1Route && layout.zip().zip64()) {
            throw new PackagingException(REFUSED, "APK is a v1-only ZIP64 archive, which apksig cannot verify;"
                    + " channels are not written into APKs whose result cannot be verified");
        }
        if (v1Route && manifest.targetSdk() >= 30) {
            throw new PackagingException(REFUSED, "APK is signed with v1 only and targets SDK " + manifest.targetSdk()
                    + ": Android 11+ requires v2 or later for targetSdk 30+, so it cannot install with any channel; "
                    + "sign the mother with v2/v3 and write channels into its signing block");
        }
        try {
            return new ChannelWriter(layout, manifest, options, FileChannel.open(motherPath, StandardOpenOption.READ), v1Route);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot open " + motherPath + ": " + e.getMessage(), e);
        }
    }

    /**
     * The mother's v4 signature file, when one lies beside it. v4 hashes the whole file, so it can
     * never cover a channel APK: callers tell the publisher that the outputs carry none.
     */
    public Optional<Path> motherV4Signature() {
        return Files.isRegularFile(layout.idsigPath()) ? Optional.of(layout.idsigPath()) : Optional.empty();
    }

    /** What the mother's manifest says (for output names). */
    public ManifestFacts manifest() {
        return manifest;
    }

    /** The format channels are written in: the option for signing-block APKs, v1 entries otherwise. */
    public ChannelFormat format() {
        return v1Route ? ChannelFormat.V1_ENTRY : options.format();
    }

    /**
     * Verifies the mother's signatures with apksig, once (later calls return the same report).
     * Writing does not need it: the first channel APK is verified fully instead, which by the same
     * equivalence argument covers the mother (docs/packaging.md), and costs one full read less.
     * Call it to fail early, before any output is written. ZIP64 mothers cannot be verified by
     * apksig; for them the report is null. Throws NOT_SIGNED when the signature does not verify.
     */
    public SignatureReport verifyMother() throws PackagingException {
        return reference.verifyMother();
    }

    /**
     * The channel APK as mother prefix plus tail, for uploaders that copy the prefix server-side.
     * Before the first tail is handed out, one channel APK of this mother is written to a temporary
     * file and verified fully, so tails are never based on an unverified construction.
     */
    public ChannelTail tail(Channel channel) throws PackagingException {
        requireBlockRoute();
        ChannelTail tail = buildTail(channel);
        if (!reference.verified() && !layout.zip().zip64()) {
            try {
                Path reference = Files.createTempFile("packline-reference-", ".apk");
                try {
                    write(channel, reference);
                } finally {
                    Files.deleteIfExists(reference);
                }
            } catch (IOException e) {
                throw new PackagingException(IO, "cannot write the reference channel APK: " + e.getMessage(), e);
            }
        }
        return tail;
    }

    /** Writes the channel APK to {@code output} (replacing it) and verifies it before reporting it done. */
    public WrittenChannel write(Channel channel, Path output) throws PackagingException {
        return complete(stage(channel, output));
    }

    /**
     * A channel APK written to a partial file beside its output and checked structurally, not yet
     * renamed into place nor reported: it waits for the reference verification.
     */
    private record Staged(Channel channel, Path partial, Path output, ChannelTail tail, boolean isReference,
            WrittenChannel verifiedV1) {
    }

    /** First half of {@link #write}: everything but waiting for the reference, hashing and renaming. */
    private Staged stage(Channel channel, Path output) throws PackagingException {
        Objects.requireNonNull(channel, "channel");
        reference.requireMotherNotKnownBad();
        Path partial = null;
        try {
            if (Files.exists(output) && Files.isSameFile(output, layout.path())) {
                throw new PackagingException(INVALID_ARGUMENT, "output " + output + " is the mother itself");
            }
            partial = Files.createTempFile(output.toAbsolutePath().getParent(), ".packline-", ".partial");
            Staged staged = v1Route ? stageV1(channel, partial, output) : stageIntoBlock(channel, partial, output);
            partial = null;
            return staged;
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot write " + output + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** Second half of {@link #write}: waits for the reference, then hashes, renames and reports. */
    private WrittenChannel complete(Staged staged) throws PackagingException {
        try {
            WrittenChannel written;
            if (staged.verifiedV1() != null) {
                written = staged.verifiedV1();
            } else {
                WrittenChannel.Verification verification = WrittenChannel.Verification.STRUCTURAL_ZIP64;
                if (!layout.zip().zip64()) {
                    reference.await(staged.channel(), staged.isReference());
                    verification = staged.isReference() ? WrittenChannel.Verification.APKSIG
                            : WrittenChannel.Verification.SAME_AS_VERIFIED;
                }
                MessageDigest digest = reference.prefixDigest();
                digest.update(staged.tail().tailBytesUnsafe());
                written = new WrittenChannel(staged.channel(), staged.output(), staged.tail().totalLength(),
                        HexFormat.of().formatHex(digest.digest()), options.format(), verification);
            }
            requireMotherUnchanged();
            Files.move(staged.partial(), staged.output(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return written;
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot write " + staged.output() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staged.partial());
        }
    }

    private Staged stageIntoBlock(Channel channel, Path partial, Path output) throws PackagingException, IOException {
        ChannelTail tail = buildTail(channel);
        reference.startPrefixDigest();
        // no TRUNCATE_EXISTING: the partial file is new and empty, and ext4 flushes O_TRUNC files on close
        try (FileChannel target = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            FileRegions.copy(mother, 0, tail.prefixLength(), target, 0);
            FileRegions.write(target, tail.tailBytesUnsafe(), tail.prefixLength());
            StructuralCheck.verify(partial, target, layout, channel, tail.tailBytesUnsafe());
        }
        boolean isReference = !layout.zip().zip64() && reference.offer(partial, channel);
        return new Staged(channel, partial, output, tail, isReference, null);
    }

    private Staged stageV1(Channel channel, Path partial, Path output) throws PackagingException, IOException {
        if (!channel.extras().isEmpty()) {
            throw new PackagingException(INVALID_ARGUMENT, "channel '" + channel.name()
                    + "': a v1-only APK carries the channel as an empty META-INF entry, which cannot hold extras");
        }
        try (FileChannel target = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            FileRegions.copy(mother, 0, motherSize, target, 0);
        }
        V1ChannelEntry.add(partial, channel);
        // v1 digests cover entry data and zip4j rewrites the central directory: no cheap equivalence, verify fully
        reference.verifyFully(partial, channel);
        try (FileChannel written = FileChannel.open(partial, StandardOpenOption.READ)) {
            return new Staged(channel, partial, output, null, false, new WrittenChannel(channel, output, written.size(),
                    FileRegions.sha256(written), ChannelFormat.V1_ENTRY, WrittenChannel.Verification.APKSIG));
        }
    }

    private ChannelTail buildTail(Channel channel) throws PackagingException {
        if (!channel.extras().isEmpty() && options.format() == ChannelFormat.VASDOLLY) {
            throw new PackagingException(INVALID_ARGUMENT, "channel '" + channel.name()
                    + "' has extras, which the vasdolly format cannot carry; use walle or both");
        }
        SigningBlock block = layout.signingBlock().orElseThrow().with(ChannelPairs.encode(channel, options.format()));
        byte[] blockBytes = block.encode();
        byte[] centralDirectory = layout.tail().movedTo(layout.prefixLength() + blockBytes.length);
        byte[] tail = new byte[blockBytes.length + centralDirectory.length];
        System.arraycopy(blockBytes, 0, tail, 0, blockBytes.length);
        System.arraycopy(centralDirectory, 0, tail, blockBytes.length, centralDirectory.length);
        return new ChannelTail(channel, layout.prefixLength(), tail);
    }

    private void requireMotherUnchanged() throws PackagingException, IOException {
        if (Files.size(layout.path()) != motherSize || !Files.getLastModifiedTime(layout.path()).equals(motherModified)) {
            throw new PackagingException(VERIFICATION_FAILED, "mother " + layout.path() + " changed while channels were written");
        }
    }

    private void requireBlockRoute() throws PackagingException {
        if (v1Route) {
            throw new PackagingException(REFUSED, "a v1-only APK's channel is a ZIP entry, not a tail; use write()");
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover .partial file is harmless and says what it is
            }
        }
    }

    @Override
    public void close() throws IOException {
        mother.close();
    }
}
