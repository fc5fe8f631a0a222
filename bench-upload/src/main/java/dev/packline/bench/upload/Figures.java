package dev.packline.bench.upload;

import java.util.List;

/** How the benchmark turns measurements into the figures it prints. */
final class Figures {
    private static final double MIB = 1024.0 * 1024;

    private Figures() {
    }

    static double mibPerSecond(long bytes, long nanos) {
        return bytes / MIB / (nanos / 1e9);
    }

    /** The median (mean of the middle two for an even count); robust to one round hit by outside load. */
    static double median(List<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
