package io.sluice.stream.launch;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress of long CLI work (a drain by `sluice run`/`demo`, a bench drain stage): on a terminal one line redrawn in place, {@code [#####.....] 45% 1,234 / 2,700
 * ETA 0:42}; otherwise (a pipe, a log file, CI) a plain line per report. The ETA comes from the rate since the first
 * report, on an injected nano clock.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final LongSupplier nanoTime;
    private long startNanos = -1;
    private long startDone;
    private boolean drawn;

    public ProgressBar(PrintStream out, boolean terminal, String label, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.nanoTime = nanoTime;
    }

    /** A bar on standard output, drawn in place when standard output is a terminal. */
    public static ProgressBar onStdout(String label) {
        return new ProgressBar(System.out, System.console() != null, label, System::nanoTime);
    }

    /** Shows {@code done} of {@code total}, with {@code detail} after it. */
    public void report(long done, long total, String detail) {
        long now = nanoTime.getAsLong();
        if (startNanos < 0) {
            startNanos = now;
            startDone = done;
        }
        String line = line(done, total, now) + (detail == null || detail.isEmpty() ? "" : "  " + detail);
        if (terminal) {
            out.print("\r\033[2K" + line);
            out.flush();
            drawn = true;
        } else {
            out.println(line);
        }
    }

    /** Ends the redrawn line, so what is printed next starts on its own line. */
    public void finish() {
        if (terminal && drawn) {
            out.println();
            drawn = false;
        }
    }

    String line(long done, long total, long now) {
        double fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, (double) done / total));
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
        return String.format("%s %s %3.0f%% %,d / %,d  ETA %s", label, bar, fraction * 100, done, total,
                eta(done, total, now));
    }

    private String eta(long done, long total, long now) {
        double seconds = (now - startNanos) / 1e9;
        long progressed = done - startDone;
        if (done >= total) {
            return "0:00";
        }
        if (seconds <= 0 || progressed <= 0) {
            return "--:--";
        }
        long left = Math.round((total - done) / (progressed / seconds));
        return left >= 3600 ? String.format("%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60)
                : String.format("%d:%02d", left / 60, left % 60);
    }
}
