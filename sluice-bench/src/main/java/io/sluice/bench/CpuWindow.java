package io.sluice.bench;

import io.sluice.bench.BenchResults.CpuUse;
import io.sluice.bench.BenchResults.JvmCpu;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One measured window: CPU readings of some JVMs and of the machine when it opens and when {@link #finish} closes
 * it. While open it also reads every {@value #SAMPLE_MILLIS} ms, because a JVM may exit inside the window (an
 * available-now Spark job ends once it has drained its backlog) and /proc forgets a process the moment it is reaped.
 */
final class CpuWindow implements AutoCloseable {
    /** Often enough that a micro-batch of under a second still spans a few readings ({@link #timeline}). */
    static final long SAMPLE_MILLIS = 100;

    private final CpuMeter meter;
    private final Map<String, Long> pids;
    private final Map<String, Double> startSeconds = new LinkedHashMap<>();
    private final Map<String, Double> lastSeconds = new LinkedHashMap<>();
    private final Map<String, CpuTimeline> timelines = new LinkedHashMap<>();
    private final OptionalDouble machineStart;
    private final long startNanos;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-cpu");
        t.setDaemon(true);
        return t;
    });

    /** Opens the window now. {@code pids}: label -> pid of the JVMs to account for. */
    CpuWindow(CpuMeter meter, Map<String, Long> pids) {
        this.meter = meter;
        this.pids = new LinkedHashMap<>(pids);
        Instant now = Instant.now();
        this.pids.forEach((label, pid) -> meter.processSeconds(pid).ifPresent(s -> {
            startSeconds.put(label, s);
            timelines.computeIfAbsent(label, l -> new CpuTimeline()).add(now, s);
        }));
        lastSeconds.putAll(startSeconds);
        machineStart = meter.machineBusySeconds();
        startNanos = System.nanoTime();
        sampler.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Keeps each JVM's latest reading, for one that exits before the window ends. */
    synchronized void sample() {
        Instant now = Instant.now();
        startSeconds.keySet().forEach(label -> meter.processSeconds(pids.get(label)).ifPresent(s -> {
            lastSeconds.put(label, s);
            timelines.get(label).add(now, s);
        }));
    }

    /** Every reading of one JVM in this window (empty if it could not be read), for charging CPU to sub-spans. */
    synchronized CpuTimeline timeline(String label) {
        return timelines.getOrDefault(label, new CpuTimeline());
    }

    /** Closes the window now; {@code rows} is the work the stage did in it. */
    synchronized CpuUse finish(String stage, long rows) {
        double window = (System.nanoTime() - startNanos) / 1e9;
        OptionalDouble machineEnd = meter.machineBusySeconds();
        Map<String, Double> endSeconds = new LinkedHashMap<>();
        Instant now = Instant.now();
        startSeconds.keySet().forEach(label -> meter.processSeconds(pids.get(label)).ifPresent(s -> {
            endSeconds.put(label, s);
            timelines.get(label).add(now, s);
        }));
        close();
        if (rows <= 0) {
            throw new IllegalArgumentException("a CPU window needs the rows it processed to give CPU per row, got " + rows);
        }
        Map<String, JvmCpu> jvms = new LinkedHashMap<>();
        startSeconds.forEach((label, start) -> {
            boolean exited = !endSeconds.containsKey(label);
            // Readings are whole clock ticks; rounding to the millisecond drops the binary fraction noise.
            double used = Math.round(1000 * Math.max(0, (exited ? lastSeconds.get(label) : endSeconds.get(label)) - start))
                    / 1000.0;
            jvms.put(label, new JvmCpu(used, used / window, used * 1e6 / rows, exited));
        });
        Double busyCores = machineStart.isPresent() && machineEnd.isPresent()
                ? (machineEnd.getAsDouble() - machineStart.getAsDouble()) / window : null;
        return new CpuUse(stage, window, rows, busyCores, jvms);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
