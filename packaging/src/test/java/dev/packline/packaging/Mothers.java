package dev.packline.packaging;

import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleKey;
import java.io.IOException;
import java.nio.file.Path;

/** The kinds of signed mother APK the tests write channels into, each built for real by apksig. */
enum Mothers {
    V1_V2_V3(true, new SampleApkBuilder().sdk(21, 33)),
    V2_ONLY(true, new SampleApkBuilder().sdk(24, 33).schemes(false, true, false)),
    V3_ONLY(true, new SampleApkBuilder().sdk(24, 33).schemes(false, false, true)),
    V1_ONLY_TARGET_29(true, new SampleApkBuilder().sdk(21, 29).schemes(true, false, false)),
    V1_ONLY_TARGET_33(false, new SampleApkBuilder().sdk(21, 33).schemes(true, false, false)),
    V31_KEY_ROTATION(true, new SampleApkBuilder().sdk(21, 33)),
    V4_WITH_IDSIG(true, new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).v4(true)),
    VERITY(true, new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).verity(true));

    static final SampleKey KEY = SampleKey.generate("packline-test");
    static final SampleKey ROTATED_KEY = SampleKey.generate("packline-test-rotated");

    /** Whether channels can be written into it at all (the v4 one too: its outputs carry no v4). */
    final boolean channelsPossible;
    private final SampleApkBuilder template;

    Mothers(boolean channelsPossible, SampleApkBuilder template) {
        this.channelsPossible = channelsPossible;
        this.template = template;
    }

    Path build(Path directory) throws IOException {
        return build(directory, 300_000, 1);
    }

    /** Builds this mother with {@code payloadBytes} of stored data; {@code seed} varies the data like a new release. */
    Path build(Path directory, long payloadBytes, long seed) throws IOException {
        SampleApkBuilder builder = template.key(KEY).payloadBytes(payloadBytes).seed(seed);
        if (this == V31_KEY_ROTATION) {
            builder.rotateTo(ROTATED_KEY);
        }
        return builder.build(directory.resolve(name().toLowerCase() + "-" + seed + ".apk"));
    }
}
