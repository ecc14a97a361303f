package io.sluice.cli.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code sluice status} prints about running pipelines: each {@code sluice run} / {@code sluice demo} writes its
 * current figures to {@code <data dir>/live/<pipeline>.json} every second ({@link LiveView}); a file whose process is
 * gone is left over from a crash and is skipped.
 */
public final class StatusReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusReport() {
    }

    /** One block of lines per running pipeline; empty when none runs. */
    public static List<String> lines(Path dataDir) {
        Path live = dataDir.resolve("live");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(live)) {
            return out;
        }
        try (Stream<Path> files = Files.list(live)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode status;
                try {
                    status = JSON.readTree(file.toFile());
                } catch (IOException e) {
                    continue; // being replaced right now; the next call reads it
                }
                if (ProcessHandle.of(status.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false)) {
                    out.addAll(format(status));
                }
            }
        } catch (IOException e) {
            out.add("  cannot read " + live + ": " + e.getMessage());
        }
        return out;
    }

    static List<String> format(JsonNode status) {
        JsonNode flow = status.path("flow");
        List<String> out = new ArrayList<>();
        out.add(String.format("Pipeline %s (pid %d), dashboard %s", flow.path("pipeline").asText(),
                status.path("pid").asLong(), status.path("dashboard").asText()));
        for (JsonNode stage : flow.path("stages")) {
            double limit = stage.path("limit").asDouble();
            out.add(String.format("  %-16s %9.1f/s  %-16s %s", stage.path("label").asText(), stage.path("rate").asDouble(),
                    limit > 0 ? String.format("limit %.0f/s", limit) : "no limit", stage.path("note").asText()));
        }
        out.add(String.format("  rows written %,d | Kafka lag %,d | queue %,d / %,d | write latency p50 %.1f ms, p99 %.1f ms",
                flow.path("rowsWritten").asLong(), flow.path("lag").asLong(), flow.path("queueDepth").asLong(),
                flow.path("queueCapacity").asLong(), flow.path("writeP50Ms").asDouble(), flow.path("writeP99Ms").asDouble()));
        List<String> reasons = new ArrayList<>();
        flow.path("quarantine").fields().forEachRemaining(e -> reasons.add(e.getKey() + " " + e.getValue().asLong()));
        out.add("  quarantine: " + (reasons.isEmpty() ? "none" : String.join(", ", reasons)));
        out.add("  holding the flow back: " + flow.path("bottleneck").asText() + " (" + flow.path("why").asText() + ")");
        return out;
    }
}
