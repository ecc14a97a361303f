package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Peak resident memory of every JVM of the run, from {@code VmHWM} in {@code /proc/<pid>/status} (the kernel's own
 * high-water mark, so sampling once a second cannot miss a peak; it only has to read before the process is gone).
 * On a system without /proc the figures are simply absent.
 */
final class RssMonitor implements AutoCloseable {
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> peakKb = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-rss");
        t.setDaemon(true);
        return t;
    });

    RssMonitor() {
        timer.scheduleAtFixedRate(this::sampleNow, 1, 1, TimeUnit.SECONDS);
    }

    synchronized void track(String label, long pid) {
        if (pid > 0) {
            pids.put(label, pid);
            peakKb.putIfAbsent(label, 0L);
        }
        sampleNow();
    }

    synchronized void sampleNow() {
        pids.forEach((label, pid) -> highWaterMarkKb(pid).ifPresent(kb -> peakKb.merge(label, kb, Math::max)));
    }

    /** Label -> peak RSS in MB, in the order the JVMs were first tracked. */
    synchronized Map<String, Double> peaksMb() {
        sampleNow();
        Map<String, Double> mb = new LinkedHashMap<>();
        peakKb.forEach((label, kb) -> {
            if (kb >= 1024) { // below 1 MB it was a JVM that never started
                mb.put(label, Math.round(kb / 102.4) / 10.0);
            }
        });
        return mb;
    }

    static OptionalLong highWaterMarkKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process has exited, or this is not Linux
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
