package io.sluice.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** What the benchmark tells the user while it runs: one line per step, with the elapsed time. */
final class Console {
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    Console(PrintStream out) {
        this.out = out;
    }

    void step(String format, Object... args) {
        long seconds = Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
        out.printf(Locale.ROOT, "[bench %3d:%02d] %s%n", seconds / 60, seconds % 60, String.format(Locale.ROOT, format, args));
        out.flush();
    }

    PrintStream out() {
        return out;
    }
}
