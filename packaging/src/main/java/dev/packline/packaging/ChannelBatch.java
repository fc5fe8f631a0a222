package dev.packline.packaging;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes many channels of one mother and reports each outcome, in the plan's order, once it is
 * known: a verified channel APK, or the reason that channel failed (the others are still written).
 *
 * <p>The first channel APK's apksig verification (the reference) runs in the background while the
 * next ones are copied and checked structurally. They wait as partial files, not renamed into place
 * nor reported, until the reference has passed; then they are completed in order. So a batch costs
 * about its copies, not its copies plus one full verification.
 *
 * <p>What may wait is bounded by bytes ({@link #DEFAULT_WAITING_BYTES} unless told otherwise; at least one
 * channel APK), not only for disk space: an earlier version let sixteen 200 MB outputs wait, and
 * the 3.2 GB of unwritten page cache went past the kernel's background writeback threshold
 * (10% of memory by default); writeback then slowed both the copies and apksig many times over.
 */
public final class ChannelBatch {
    /** Default bound on the partial outputs waiting for the reference: 1 GiB. */
    public static final long DEFAULT_WAITING_BYTES = 1L << 30;

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

    /** Writes every channel of {@code plan} and hands each outcome to {@code report}, in the plan's order. */
    public static void write(ChannelWriter writer, Map<Channel, Path> plan, Consumer<Outcome> report) {
        write(writer, plan, report, DEFAULT_WAITING_BYTES);
    }

    /**
     * As {@link #write(ChannelWriter, Map, Consumer)}, with at most {@code maxWaitingBytes} of channel
     * APKs waiting for the reference (0: none wait, every channel is written and reported in turn).
     */
    public static void write(ChannelWriter writer, Map<Channel, Path> plan, Consumer<Outcome> report, long maxWaitingBytes) {
        Objects.requireNonNull(report, "report");
        if (maxWaitingBytes < 0) {
            throw new IllegalArgumentException("maxWaitingBytes must not be negative: " + maxWaitingBytes);
        }
        Waiting waiting = new Waiting();
        try {
            for (Map.Entry<Channel, Path> entry : plan.entrySet()) {
                try {
                    waiting.add(writer.stage(entry.getKey(), entry.getValue()));
                } catch (PackagingException e) {
                    waiting.add(new Failed(entry.getKey(), entry.getValue(), e));
                }
                // block when one more channel APK (all of one mother's are within a few bytes) would pass the bound
                waiting.drain(writer, report, waiting.bytes + waiting.lastBytes > maxWaitingBytes);
            }
            waiting.drain(writer, report, true);
        } finally {
            waiting.abandonAll(writer);
        }
    }

    /** Outcomes not yet reported, in plan order: failures, and staged channel APKs. */
    private static final class Waiting {
        private final Deque<Object> queue = new ArrayDeque<>();
        private long bytes;
        private long lastBytes;

        void add(Object item) {
            queue.add(item);
            if (item instanceof ChannelWriter.Staged staged) {
                bytes += staged.bytes();
                lastBytes = staged.bytes();
            }
        }

        /** Reports from the head while that needs no waiting for the reference, or always when {@code block}. */
        void drain(ChannelWriter writer, Consumer<Outcome> report, boolean block) {
            while (!queue.isEmpty()) {
                Object head = queue.peek();
                if (head instanceof Failed failed) {
                    queue.poll();
                    report.accept(failed);
                    continue;
                }
                ChannelWriter.Staged staged = (ChannelWriter.Staged) head;
                if (!block && !writer.readyToComplete()) {
                    return;
                }
                queue.poll();
                bytes -= staged.bytes();
                Outcome outcome;
                try {
                    outcome = new Written(writer.complete(staged));
                } catch (PackagingException e) {
                    outcome = new Failed(staged.channel(), staged.output(), e);
                }
                report.accept(outcome);
            }
        }

        /** After a failure in a report callback: no partial file is left behind. */
        void abandonAll(ChannelWriter writer) {
            for (Object left : queue) {
                if (left instanceof ChannelWriter.Staged staged) {
                    writer.abandon(staged);
                }
            }
            queue.clear();
        }
    }
}
