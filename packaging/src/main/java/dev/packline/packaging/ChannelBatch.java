package dev.packline.packaging;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes many channels of one mother, in order, and reports each outcome as soon as it is known:
 * a verified channel APK, or the reason that channel failed (the others are still written).
 *
 * <p>Channels are written one after the other on purpose. Pipelining them (copying the next ones
 * while apksig verifies the first) was measured twice on two cores. With 16 outputs waiting, their
 * 3.2 GB of dirty pages passed the kernel's background writeback threshold and apksig took up to
 * 8 s instead of 0.5 s. With at most 1 GiB waiting it was still slower (12 channels in 2.1-2.3 s
 * against 1.1-1.6 s): apksig's two halves and the prefix hash want both cores and the copies a
 * third, so the first report came after about 1 s and the copies beside it slowed by a quarter.
 * A third try held the hashing to one core beside the copies (which costs them nothing) and let up
 * to 1 GiB of outputs wait: on the benchmark VM the waiting outputs needed memory its balloon had
 * handed back to the host, and channel throughput fell 6% (docs/benchmarks-packaging.md).
 * Callers wanting parallelism can call {@link ChannelWriter#write} from several threads; it is
 * thread-safe.
 */
public final class ChannelBatch {

    /** One channel's result: written and verified, or failed with its reason. */
    public sealed interface Outcome {
        Channel channel();
    }

    public record Written(WrittenChannel written) implements Outcome {
        @Override
        public Channel channel() {
            return written.channel();
        }
    }

    public record Failed(Channel channel, Path output, PackagingException error) implements Outcome {
    }

    private ChannelBatch() {
    }

    /** Writes every channel of {@code plan} (in its order) and hands each outcome to {@code report}. */
    public static void write(ChannelWriter writer, Map<Channel, Path> plan, Consumer<Outcome> report) {
        Objects.requireNonNull(report, "report");
        for (Map.Entry<Channel, Path> entry : plan.entrySet()) {
            Outcome outcome;
            try {
                outcome = new Written(writer.write(entry.getKey(), entry.getValue()));
            } catch (PackagingException e) {
                outcome = new Failed(entry.getKey(), entry.getValue(), e);
            }
            report.accept(outcome);
        }
    }
}
