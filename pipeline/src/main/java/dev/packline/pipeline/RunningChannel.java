package dev.packline.pipeline;

/**
 * How far one channel's running stage job is, as its handler last reported: the stage
 * ({@code package}, {@code upload}), a fraction from 0 to 1, a short message ("uploading 120 of
 * 300 MB") and when it was reported (epoch ms).
 */
public record RunningChannel(int index, String stage, double fraction, String message, long atMillis) {
}
