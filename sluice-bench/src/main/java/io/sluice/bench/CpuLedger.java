package io.sluice.bench;

import io.sluice.bench.BenchResults.CpuUse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the CPU goes per row: the JVMs every throughput stage shares (Cassandra, the Kafka broker, this bench JVM),
 * the windows the stages open over them, and what each stage used, by stage. On a 2-core machine all of them draw
 * on one budget, so a stage's figure is only honest with its neighbours' next to it.
 */
final class CpuLedger {
    /** Keys of {@link #byStage()}, the same as the stages' sections in bench.json. */
    static final String CEILING = "ceiling";
    static final String KAFKA_CEILING = "kafka";
    static final String BASELINE = "baseline";
    static final String SLUICE = "sluice";
    static final String SLUICE_DEFAULTS = "sluiceDefaults";
    static final String CONNECTOR_DEFAULTS = "connectorDefaults";
    static final String FLINK = "flink";

    /** The stage a key of {@link #byStage()} stands for, as the report names it. */
    static String stageName(String key) {
        return switch (key) {
            case CEILING -> "Cassandra write ceiling";
            case KAFKA_CEILING -> "Kafka produce ceiling";
            case BASELINE -> "Naive baseline (tutorial job)";
            case SLUICE -> "Sluice at full speed";
            case SLUICE_DEFAULTS -> "Sluice with its defaults";
            case CONNECTOR_DEFAULTS -> Bench.CONNECTOR_DEFAULTS_STAGE;
            case FLINK -> FlinkStage.NAME;
            default -> key;
        };
    }

    /**
     * JVM labels; a stage's own engine JVM (a Spark job, or the Flink peer) is always {@link #ENGINE}, so the report
     * can put it in one column.
     */
    static final String CASSANDRA = "Cassandra";
    static final String KAFKA = "Kafka broker";
    static final String ENGINE = "engine JVM";
    static final String BENCH = "bench JVM";

    private final CpuMeter meter;
    private final Map<String, Long> shared = new LinkedHashMap<>();
    private final Map<String, CpuUse> byStage = new LinkedHashMap<>();

    CpuLedger(CpuMeter meter) {
        this.meter = meter;
    }

    /** A JVM every window accounts for from now on; a pid of 0 or less (a server that has none) is ignored. */
    synchronized void watch(String label, long pid) {
        if (pid > 0) {
            shared.put(label, pid);
        }
    }

    /** A window over the shared JVMs, opened now. */
    synchronized CpuWindow open() {
        return new CpuWindow(meter, shared);
    }

    /** A window over the shared JVMs and a stage's own engine JVM, opened now. */
    synchronized CpuWindow open(long enginePid) {
        Map<String, Long> pids = new LinkedHashMap<>(shared);
        if (enginePid > 0) {
            pids.put(ENGINE, enginePid);
        }
        return new CpuWindow(meter, pids);
    }

    /** Keeps a stage's figures, unless nothing could be read (no /proc). */
    synchronized void record(String stage, CpuUse use) {
        if (use != null && !use.jvms().isEmpty()) {
            byStage.put(stage, use);
        }
    }

    /** Stage -> its figures, in the order the stages ran. */
    synchronized Map<String, CpuUse> byStage() {
        return new LinkedHashMap<>(byStage);
    }

    /** One console line: each JVM's µs of CPU per row and how busy the machine was. */
    static String describe(CpuUse use) {
        String jvms = use.jvms().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %,.0f", e.getKey(), e.getValue().microsPerRow()))
                .collect(Collectors.joining(", "));
        String machine = use.machineBusyCores() == null ? "" : String.format(Locale.ROOT,
                "; machine busy %.2f cores", use.machineBusyCores());
        return String.format(Locale.ROOT, "CPU per row, %s: %s µs/row (%,d rows in %.1f s)%s", use.stage(),
                jvms.isEmpty() ? "not measured" : jvms, use.rows(), use.windowSeconds(), machine);
    }
}
