package dev.packline.demo.rehearsal;

import dev.packline.pipeline.ChannelSpec;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.worker.mother.Mother;
import dev.packline.worker.stage.ChannelBuilder;
import dev.packline.worker.stage.HandlerTools;
import dev.packline.worker.stage.HandlerToolsProvider;
import dev.packline.worker.stage.PackagingTools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Handler version {@value #VERSION}, a candidate with a deliberate change, offered the way an operator
 * offers one: a provider jar on the worker's classpath (the system tests build that jar from this
 * package and {@code META-INF/services}). Its channel writer is the shipped one, except that it writes
 * the channel name with its first letter in the other case: every channel APK it writes differs from
 * handler 1's in exactly one byte (inside the channel's value in the signing block), and stays a
 * validly signed APK of the same size that verifies, so a shadow run sees the same size and
 * verification and a different SHA-256. The patch maker is the shipped one.
 */
public final class OtherCaseChannelHandlers implements HandlerToolsProvider {
    public static final int VERSION = 3;

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public HandlerTools tools() {
        ChannelBuilder shipped = PackagingTools.channelBuilder();
        return new HandlerTools(new ChannelBuilder() {
            @Override
            public Built build(Mother mother, ChannelSpec channel, String format, String nameTemplate, Path outDir)
                    throws RejectJobException, IOException {
                return shipped.build(mother, otherCase(channel), format, nameTemplate, outDir);
            }

            @Override
            public Optional<Tail> tail(Mother mother, ChannelSpec channel, String format) throws RejectJobException, IOException {
                return shipped.tail(mother, otherCase(channel), format);
            }
        }, PackagingTools.patchMaker());
    }

    /** The channel with its name's first ASCII letter in the other case (a name without one is left as it is). */
    public static ChannelSpec otherCase(ChannelSpec channel) {
        char[] name = channel.name().toCharArray();
        for (int i = 0; i < name.length; i++) {
            char c = name[i];
            if (c < 128 && Character.isLetter(c)) {
                name[i] = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                break;
            }
        }
        return new ChannelSpec(new String(name), channel.extra());
    }
}
