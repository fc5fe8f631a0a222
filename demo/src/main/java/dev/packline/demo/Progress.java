package dev.packline.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/**
 * One bar per stage, redrawn in place on a terminal, or a line every few seconds when the output
 * is a file or a pipe.
 */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private int linesDrawn;
    private long lastPrinted;
    private String lastLine = "";

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void draw(JsonNode status, boolean notified) {
        int total = status.path("channels").path("total").asInt();
        JsonNode stages = status.path("stages");
        String[] lines = {
                bar("package", ended(stages.path("package")), total),
                bar("upload", ended(stages.path("upload")), total),
                bar("diff", diffsEnded(status.path("diffs")), Math.max(1, status.path("request").path("diffAgainst").size())),
                bar("notify", notified ? 1 : 0, 1) + (notified ? "  webhook received" : ""),
        };
        String summary = "  state " + status.path("state").asText() + ", " + status.path("progress").asInt() + "% of channels ended";
        if (terminal) {
            if (linesDrawn > 0) {
                out.print("\033[" + linesDrawn + "A");
            }
            for (String line : lines) {
                out.print("\r\033[2K" + line + "\n");
            }
            out.print("\r\033[2K" + summary + "\n");
            linesDrawn = lines.length + 1;
            out.flush();
        } else {
            String line = String.join(" | ", lines).replaceAll(" {2,}", " ").trim() + " |" + summary;
            long now = System.nanoTime();
            if (!line.equals(lastLine) && now - lastPrinted > 2_000_000_000L) {
                out.println(line);
                lastPrinted = now;
                lastLine = line;
            }
        }
    }

    void finish() {
        linesDrawn = 0;
    }

    private static int ended(JsonNode counts) {
        int sum = 0;
        for (JsonNode n : counts) {
            sum += n.asInt();
        }
        return sum;
    }

    private static int diffsEnded(JsonNode diffs) {
        int ended = 0;
        for (JsonNode d : diffs) {
            String state = d.path("state").asText();
            if (state.equals("done") || state.equals("failed") || state.equals("dead")) {
                ended++;
            }
        }
        return ended;
    }

    private static String bar(String stage, int done, int total) {
        int filled = total == 0 ? 0 : (int) Math.round(WIDTH * Math.min(1.0, done / (double) total));
        return String.format("  %-8s [%s%s] %4d/%d", stage, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total);
    }
}
