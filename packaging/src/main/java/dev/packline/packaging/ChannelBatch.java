package dev.packline.packaging;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes many channels of one mother in order, reporting each only once it is verified, without
 * making the copies wait for verification: the first channel APK's apksig check runs in the
 * background while the next ones are copied and checked structurally; they are renamed into place
 * and reported, in order, as soon as it has passed. The time of a batch is then about that of the
 * copies alone instead of copies plus one full verification. Partial files waiting for the
 * reference are at most {@value #MAX_WAITING} at a time, so temporary disk use stays bounded.
 */
public final class ChannelBatch {
    static final int MAX_WAITING = 16;

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

    /** Writes every channel of {@code plan} (in its order) and hands each outcome to {@code report}, in that order. */
    public static void write(ChannelWriter writer, Map<Channel, Path> plan, Consumer<Outcome> report) {
        Objects.requireNonNull(report, "report");
        Deque<Object> waiting = new ArrayDeque<>();
        try {
            for (Map.Entry<Channel, Path> entry : plan.entrySet()) {
                try {
                    waiting.add(writer.stage(entry.getKey(), entry.getValue()));
                } catch (PackagingException e) {
                    waiting.add(new Failed(entry.getKey(), entry.getValue(), e));
                }
                drain(writer, waiting, report, waiting.size() >= MAX_WAITING);
            }
            drain(writer, waiting, report, true);
        } finally {
            for (Object left : waiting) {
                if (left instanceof ChannelWriter.Staged staged) {
                    writer.abandon(staged);
                }
            }
        }
    }

    /** Reports from the head while that needs no waiting (or always, when {@code block}). */
    private static void drain(ChannelWriter writer, Deque<Object> waiting, Consumer<Outcome> report, boolean block) {
        while (!waiting.isEmpty()) {
            Object head = waiting.peek();
            if (head instanceof Failed failed) {
                report.accept(failed);
            } else {
                ChannelWriter.Staged staged = (ChannelWriter.Staged) head;
                if (!block && !writer.readyToComplete()) {
                    return;
                }
                try {
                    report.accept(new Written(writer.complete(staged)));
                } catch (PackagingException e) {
                    report.accept(new Failed(staged.channel(), staged.output(), e));
                }
            }
            waiting.poll();
        }
    }
}
