package dev.packline.worker.stage;

import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelFormat;
import dev.packline.packaging.ChannelTail;
import dev.packline.packaging.ChannelWriter;
import dev.packline.packaging.OutputNames;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.PatchReport;
import dev.packline.packaging.Patcher;
import dev.packline.packaging.WrittenChannel;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.worker.mother.Mother;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The stages' bridge to the packaging library. A {@link ChannelWriter} verifies its mother once and
 * then writes any number of channels concurrently, so writers are kept per (mother, format), a
 * few at a time. Packaging failures that no retry can fix (bad channel name, unsigned or malformed
 * mother, refused format, over the memory budget) become {@link RejectJobException}s.
 */
public final class PackagingTools {
    private static final int OPEN_WRITERS = 8;

    private PackagingTools() {
    }

    public static ChannelBuilder channelBuilder() {
        return new ApkChannelBuilder();
    }

    public static PatchMaker patchMaker() {
        Patcher patcher = Patcher.withDefaultBudget();
        return (oldMother, newMother, outDir) -> {
            Path patch = outDir.resolve(oldMother.sha256() + "-" + newMother.sha256() + ".bsdiff");
            try {
                PatchReport report = patcher.make(oldMother.file(), newMother.file(), patch);
                return new PatchMaker.Patch(patch, report.patchBytes(), sha256(patch));
            } catch (PackagingException e) {
                throw translate(e);
            }
        };
    }

    private static final class ApkChannelBuilder implements ChannelBuilder {
        private final Map<String, ChannelWriter> writers = new LinkedHashMap<>(16, 0.75f, true);

        @Override
        public Built build(Mother mother, ChannelSpec spec, String format, String nameTemplate, Path outDir)
                throws RejectJobException, IOException {
            try {
                ChannelWriter writer = writer(mother, format);
                Channel channel = Channel.of(spec.name(), spec.extra());
                Path output = OutputNames.plan(nameTemplate, writer.manifest(), List.of(channel), outDir, mother.file()).get(channel);
                WrittenChannel written = writer.write(channel, output);
                return new Built(output.getFileName().toString(), written.file(), written.bytes(), written.sha256());
            } catch (PackagingException e) {
                throw translate(e);
            }
        }

        @Override
        public Optional<Tail> tail(Mother mother, ChannelSpec spec, String format) throws RejectJobException, IOException {
            try {
                ChannelWriter writer = writer(mother, format);
                ChannelTail tail = writer.tail(Channel.of(spec.name(), spec.extra()));
                return Optional.of(new Tail(tail.prefixLength(), tail.tailBytes()));
            } catch (PackagingException e) {
                if (e.problem() == PackagingException.Problem.REFUSED) {
                    return Optional.empty(); // v1-only: the channel is a ZIP entry, not a tail
                }
                throw translate(e);
            }
        }

        private synchronized ChannelWriter writer(Mother mother, String format) throws PackagingException, RejectJobException {
            ChannelFormat channelFormat = switch (format.toLowerCase(Locale.ROOT)) {
                case "walle" -> ChannelFormat.WALLE;
                case "vasdolly" -> ChannelFormat.VASDOLLY;
                case "both" -> ChannelFormat.BOTH;
                default -> throw new RejectJobException("channel format must be walle, vasdolly or both, got '" + format + "'");
            };
            String key = mother.sha256() + ":" + channelFormat;
            ChannelWriter writer = writers.get(key);
            if (writer == null) {
                writer = ChannelWriter.open(mother.file(), new ChannelWriter.Options(channelFormat));
                writers.put(key, writer);
                if (writers.size() > OPEN_WRITERS) {
                    var eldest = writers.entrySet().iterator().next();
                    writers.remove(eldest.getKey());
                    closeQuietly(eldest.getValue());
                }
            }
            return writer;
        }

        private static void closeQuietly(ChannelWriter writer) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // a reader's file handle: nothing to recover
            }
        }
    }

    /** Throws the failures no retry can fix as rejections; returns the others (I/O, failed verification) to be thrown for a retry. */
    static IOException translate(PackagingException e) throws RejectJobException {
        switch (e.problem()) {
            case INVALID_ARGUMENT, MALFORMED_APK, NOT_SIGNED, REFUSED, OVER_BUDGET -> throw new RejectJobException(e.getMessage(), e);
            default -> {
                return new IOException(e.getMessage(), e);
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
