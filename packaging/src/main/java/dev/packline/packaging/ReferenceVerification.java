package dev.packline.packaging;

import static dev.packline.packaging.PackagingException.Problem.NOT_SIGNED;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.SignatureCheck;
import dev.packline.packaging.internal.io.CpuThreads;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The once-per-mother work of a {@link ChannelWriter}: apksig on the first channel APK written
 * (the reference every later one is compared with), the mother's own apksig check when the
 * reference fails (to say whose fault it is), and the SHA-256 state after the mother's entries that
 * every output's hash continues from. The apksig runs (one per platform range, see
 * {@link SignatureCheck#verifyInParallel}) and the hashing go on platform threads of their own
 * ({@link CpuThreads}), so the cores share them; writers wait for the reference before reporting anything.
 */
final class ReferenceVerification {
    private final ApkLayout layout;
    private final int minSdk;
    private final FileChannel mother;
    private final ReentrantLock lock = new ReentrantLock();
    private CompletableFuture<Void> reference;
    private CompletableFuture<MessageDigest> prefixDigest;
    private SignatureReport motherReport;
    private PackagingException motherFailure;

    ReferenceVerification(ApkLayout layout, int minSdk, FileChannel mother) {
        this.layout = layout;
        this.minSdk = minSdk;
        this.mother = mother;
    }

    /**
     * Called for every structurally checked channel APK: the first becomes the reference and its
     * apksig verification starts in the background. Returns whether {@code written} is the reference.
     */
    boolean offer(Path written, Channel channel) {
        lock.lock();
        try {
            if (reference != null && !reference.isCompletedExceptionally()) {
                return false;
            }
            reference = CompletableFuture.runAsync(() -> {
                try {
                    verifyFully(written, channel);
                } catch (PackagingException e) {
                    throw new CompletionException(e);
                }
            }, CpuThreads.named("packline-reference"));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the reference is verified; throws its failure (for every channel waiting on it). */
    void await(Channel channel, boolean isReference) throws PackagingException {
        CompletableFuture<Void> current;
        lock.lock();
        try {
            current = reference;
        } finally {
            lock.unlock();
        }
        try {
            current.join();
        } catch (CompletionException e) {
            PackagingException cause = (PackagingException) e.getCause();
            if (isReference || cause.problem() == NOT_SIGNED) {
                throw cause;
            }
            throw new PackagingException(VERIFICATION_FAILED, "channel APK for '" + channel.name()
                    + "' is not reported: the first channel APK of this mother, which it is checked against, failed: "
                    + cause.getMessage(), cause);
        }
    }

    /** The first output's apksig verification has finished with success. */
    boolean verified() {
        lock.lock();
        try {
            return reference != null && reference.isDone() && !reference.isCompletedExceptionally();
        } finally {
            lock.unlock();
        }
    }

    /** The SHA-256 state after the mother's entries (a fresh clone per caller). */
    MessageDigest prefixDigest() throws IOException {
        startPrefixDigest();
        CompletableFuture<MessageDigest> digest;
        lock.lock();
        try {
            digest = prefixDigest;
        } finally {
            lock.unlock();
        }
        try {
            return (MessageDigest) digest.join().clone();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of the JDK are cloneable", e);
        }
    }

    /** Starts hashing the mother's entries on a thread of its own, if nothing has yet, so it overlaps the first copies. */
    void startPrefixDigest() {
        lock.lock();
        try {
            if (prefixDigest == null) {
                prefixDigest = CompletableFuture.supplyAsync(() -> {
                    try {
                        MessageDigest state = FileRegions.sha256();
                        FileRegions.digest(mother, 0, layout.prefixLength(), state);
                        return state;
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                }, CpuThreads.named("packline-prefix-digest"));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * apksig on a written channel APK, and its channel read back. Whether it verifies decides;
     * which schemes apksig checks depends only on the manifest and the signature pairs, which are
     * the mother's, so a pass means the same schemes verify as on the mother. When it fails, the
     * mother is verified too, to say whose fault it is.
     */
    void verifyFully(Path written, Channel channel) throws PackagingException {
        SignatureReport report = SignatureCheck.verifyInParallel(written, minSdk);
        Set<SignatureScheme> present = EnumSet.copyOf(layout.schemesPresent());
        if (!report.verified() || report.schemes().isEmpty() || !present.containsAll(report.schemes())) {
            SignatureReport motherVerdict = verifyMother();
            throw new PackagingException(VERIFICATION_FAILED, "channel APK for '" + channel.name()
                    + "' does not verify although its mother does (a Packline bug, please report it): schemes "
                    + report.schemes() + ", mother " + motherVerdict.schemes()
                    + (report.errors().isEmpty() ? "" : ", errors: " + String.join("; ", report.errors())));
        }
        Optional<ChannelInfo> info = ChannelReader.read(written);
        if (info.isEmpty() || !info.get().matches(channel)) {
            throw new PackagingException(VERIFICATION_FAILED, "channel APK for '" + channel.name()
                    + "' reads back as " + info.map(ChannelInfo::name).orElse("no channel"));
        }
    }

    /** apksig on the mother, once; a failure is remembered, so later writes fail at once with it. */
    SignatureReport verifyMother() throws PackagingException {
        lock.lock();
        try {
            if (motherFailure != null) {
                throw motherFailure;
            }
            if (motherReport == null && !layout.zip().zip64()) {
                Optional<Path> idsig = Files.exists(layout.idsigPath()) ? Optional.of(layout.idsigPath()) : Optional.empty();
                SignatureReport report = SignatureCheck.verify(layout.path(), idsig, minSdk);
                if (!report.verified()) {
                    motherFailure = new PackagingException(NOT_SIGNED, "mother's signature does not verify: "
                            + String.join("; ", report.errors()));
                    throw motherFailure;
                }
                motherReport = report;
            }
            return motherReport;
        } finally {
            lock.unlock();
        }
    }

    /** Throws the mother's failure if it is already known. */
    void requireMotherNotKnownBad() throws PackagingException {
        lock.lock();
        try {
            if (motherFailure != null) {
                throw motherFailure;
            }
        } finally {
            lock.unlock();
        }
    }
}
