package io.sluice.stream.launch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of the progress file the stream job appends to ({@code --progress-file}), one JSON object per line:
 *
 * <pre>
 * {"event":"started","timestamp":"2025-01-01T10:00:00Z","pipeline":"demo_users"}
 * {"event":"batch","batchId":0,"timestamp":"2025-01-01T10:00:07.5Z","numInputRows":1000,"rowsWritten":998,
 *  "rowsSkipped":2,"skippedByReason":{"malformed":2},"durationMs":1834,"endOffsets":{"users_created":{"0":334,"1":333}}}
 * {"event":"batch","batchId":1,...,"rowsSkipped":7,"skippedByReason":{"malformed":1},"durationMs":950,
 *  "endOffsets":{...},"rowsWarned":3,"failedByRule":{"email_format":6,"adult":3}}
 * {"event":"stopped","timestamp":"2025-01-01T10:05:00Z","reason":"parent closed stdin"}
 * </pre>
 *
 * <p>{@code rowsWritten} counts valid rows upserted into the table, {@code rowsSkipped} the quarantined ones;
 * {@code skippedByReason} counts parse failures by detail ({@code malformed}, {@code schema_mismatch},
 * {@code missing_key}, {@code empty}, {@code invalid_utf8}, {@code oversize}). Pipelines with {@code dq.rules} add
 * {@code failedByRule} (every rule, zero included; a record failing two rules counts for both) and {@code rowsWarned}
 * (records that failed only {@code action: warn} rules are written and counted here).
 *
 * <p>{@code endOffsets} follows Kafka's convention (the next offset to read, i.e. last offset + 1) and covers the
 * partitions that had records in that batch; {@link ProgressFile#consumedOffsets} merges them across batches to compare
 * with the topic's end offsets. Batch lines also carry {@code triggerDelayMs} (the wait since the previous batch ended:
 * 0 when the job runs behind) and {@code write} ({@link WriteFigures}); the CLI turns them into the {@code sluice.stream.*},
 * {@code sluice.dq.*} and {@code sluice.writer.*} meters of its {@code /metrics} endpoint. A batch line is written after its rows are in Cassandra and before Spark commits the
 * batch, so a crash in between can repeat a batchId; the rows themselves are idempotent upserts.
 */
public record StreamProgress(String event, long batchId, Instant timestamp, long numInputRows, long rowsWritten,
                             long rowsSkipped, Map<String, Long> skippedByReason, long durationMs,
                             Map<String, Map<Integer, Long>> endOffsets, String pipeline, String reason,
                             long rowsWarned, Map<String, Long> failedByRule, long triggerDelayMs, WriteFigures write) {
    public static final String STARTED = "started";
    public static final String BATCH = "batch";
    public static final String STOPPED = "stopped";

    /**
     * The driver writer's Cassandra requests in one batch ({@code sink.writer: driver}; zeros for the connector).
     *
     * @param requests     INSERTs or UNLOGGED batches answered
     * @param p50Micros    median request latency (upper edge of its power-of-two bucket), retries included
     * @param p99Micros    99th percentile, likewise
     * @param timeouts     attempts that timed out (client or coordinator) and were retried
     * @param retries      attempts retried for any reason
     * @param inFlightPeak the most requests outstanding at once, summed over the batch's tasks
     * @param control      the adaptive controller at the end of the batch ({@code sink.adaptive}); NONE otherwise
     */
    public record WriteFigures(long requests, long p50Micros, long p99Micros, long timeouts, long retries, long inFlightPeak,
                               ControlFigures control) {
        public static final WriteFigures NONE = new WriteFigures(0, 0, 0, 0, 0, 0);

        public WriteFigures {
            control = control == null ? ControlFigures.NONE : control;
        }

        /** Figures without an adaptive controller. */
        public WriteFigures(long requests, long p50Micros, long p99Micros, long timeouts, long retries, long inFlightPeak) {
            this(requests, p50Micros, p99Micros, timeouts, retries, inFlightPeak, ControlFigures.NONE);
        }
    }

    /**
     * The adaptive write controller ({@code sink.adaptive}) as a batch ended, summed over executors.
     *
     * @param limit         requests allowed in flight
     * @param rowsPerSecond the pace rows are sent at
     * @param latencyMicros median request latency of the controller's last window (the highest over executors)
     * @param targetMicros  the latency target it holds that against; 0 while the baseline is measured
     * @param reason        why the limit last changed: {@code baseline}, {@code growing}, {@code ceiling}, {@code slow},
     *                      {@code timeout}, {@code overloaded}, {@code unavailable}
     */
    public record ControlFigures(long limit, long rowsPerSecond, long latencyMicros, long targetMicros, String reason) {
        public static final ControlFigures NONE = new ControlFigures(0, 0, 0, 0, "");

        public ControlFigures {
            reason = reason == null ? "" : reason;
        }
    }

    public StreamProgress {
        write = write == null ? WriteFigures.NONE : write;
        skippedByReason = skippedByReason == null ? Map.of() : Map.copyOf(skippedByReason);
        endOffsets = endOffsets == null ? Map.of() : copyOffsets(endOffsets);
        failedByRule = failedByRule == null ? Map.of() : Map.copyOf(failedByRule);
    }

    public static StreamProgress started(Instant at, String pipeline) {
        return new StreamProgress(STARTED, -1, at, 0, 0, 0, null, 0, null, pipeline, null, 0, null, 0, null);
    }

    public static StreamProgress batch(long batchId, Instant at, long numInputRows, long rowsWritten, long rowsSkipped,
                                       Map<String, Long> skippedByReason, long durationMs,
                                       Map<String, Map<Integer, Long>> endOffsets) {
        return batch(batchId, at, numInputRows, rowsWritten, rowsSkipped, skippedByReason, durationMs, endOffsets, 0, null);
    }

    /** A batch line of a pipeline with data-quality rules. */
    public static StreamProgress batch(long batchId, Instant at, long numInputRows, long rowsWritten, long rowsSkipped,
                                       Map<String, Long> skippedByReason, long durationMs,
                                       Map<String, Map<Integer, Long>> endOffsets, long rowsWarned,
                                       Map<String, Long> failedByRule) {
        return new StreamProgress(BATCH, batchId, at, numInputRows, rowsWritten, rowsSkipped, skippedByReason,
                durationMs, endOffsets, null, null, rowsWarned, failedByRule, 0, null);
    }

    /** This batch line with the wait since the previous batch ended and the writer's figures. */
    public StreamProgress withFlow(long triggerDelayMs, WriteFigures write) {
        return new StreamProgress(event, batchId, timestamp, numInputRows, rowsWritten, rowsSkipped, skippedByReason,
                durationMs, endOffsets, pipeline, reason, rowsWarned, failedByRule, triggerDelayMs, write);
    }

    public static StreamProgress stopped(Instant at, String reason) {
        return new StreamProgress(STOPPED, -1, at, 0, 0, 0, null, 0, null, null, reason, 0, null, 0, null);
    }

    public boolean isBatch() {
        return BATCH.equals(event);
    }

    public String toJson() {
        StringBuilder out = new StringBuilder("{\"event\":").append(Json.quote(event));
        if (isBatch()) {
            out.append(",\"batchId\":").append(batchId);
        }
        out.append(",\"timestamp\":").append(Json.quote(timestamp.toString()));
        if (pipeline != null) {
            out.append(",\"pipeline\":").append(Json.quote(pipeline));
        }
        if (isBatch()) {
            out.append(",\"numInputRows\":").append(numInputRows)
                    .append(",\"rowsWritten\":").append(rowsWritten)
                    .append(",\"rowsSkipped\":").append(rowsSkipped)
                    .append(",\"skippedByReason\":{");
            appendEntries(out, new TreeMap<>(skippedByReason));
            out.append("},\"durationMs\":").append(durationMs).append(",\"endOffsets\":{");
            boolean first = true;
            for (var topic : new TreeMap<>(endOffsets).entrySet()) {
                out.append(first ? "" : ",").append(Json.quote(topic.getKey())).append(":{");
                appendEntries(out, new TreeMap<>(topic.getValue()));
                out.append('}');
                first = false;
            }
            out.append('}');
            if (triggerDelayMs > 0 || !write.equals(WriteFigures.NONE)) { // lines without flow figures stay as they were
                out.append(",\"triggerDelayMs\":").append(triggerDelayMs)
                    .append(",\"write\":{\"requests\":").append(write.requests())
                    .append(",\"p50Micros\":").append(write.p50Micros())
                    .append(",\"p99Micros\":").append(write.p99Micros())
                    .append(",\"timeouts\":").append(write.timeouts())
                    .append(",\"retries\":").append(write.retries())
                    .append(",\"inFlightPeak\":").append(write.inFlightPeak());
                ControlFigures c = write.control();
                if (!c.equals(ControlFigures.NONE)) {
                    out.append(",\"control\":{\"limit\":").append(c.limit())
                        .append(",\"rowsPerSecond\":").append(c.rowsPerSecond())
                        .append(",\"latencyMicros\":").append(c.latencyMicros())
                        .append(",\"targetMicros\":").append(c.targetMicros())
                        .append(",\"reason\":").append(Json.quote(c.reason())).append('}');
                }
                out.append('}');
            }
            if (!failedByRule.isEmpty()) {
                out.append(",\"rowsWarned\":").append(rowsWarned).append(",\"failedByRule\":{");
                appendEntries(out, new TreeMap<>(failedByRule));
                out.append('}');
            }
        }
        if (reason != null) {
            out.append(",\"reason\":").append(Json.quote(reason));
        }
        return out.append('}').toString();
    }

    /** Parses one line written by {@link #toJson()}; unknown fields are ignored so the format can grow. */
    @SuppressWarnings("unchecked")
    public static StreamProgress parse(String line) {
        if (!(Json.parse(line) instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("progress line is not a JSON object: " + line);
        }
        Map<String, Object> json = (Map<String, Object>) raw;
        Map<String, Long> skipped = new LinkedHashMap<>();
        if (json.get("skippedByReason") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> skipped.put((String) k, ((Number) v).longValue()));
        }
        Map<String, Long> byRule = new LinkedHashMap<>();
        if (json.get("failedByRule") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> byRule.put((String) k, ((Number) v).longValue()));
        }
        Map<String, Map<Integer, Long>> offsets = new LinkedHashMap<>();
        if (json.get("endOffsets") instanceof Map<?, ?> topics) {
            topics.forEach((topic, partitions) -> {
                Map<Integer, Long> byPartition = new LinkedHashMap<>();
                ((Map<String, Object>) partitions).forEach((p, o) -> byPartition.put(Integer.parseInt(p), ((Number) o).longValue()));
                offsets.put((String) topic, byPartition);
            });
        }
        return new StreamProgress(
                (String) json.getOrDefault("event", BATCH),
                number(json, "batchId", -1),
                Instant.parse((String) json.get("timestamp")),
                number(json, "numInputRows", 0),
                number(json, "rowsWritten", 0),
                number(json, "rowsSkipped", 0),
                skipped,
                number(json, "durationMs", 0),
                offsets,
                (String) json.get("pipeline"),
                (String) json.get("reason"),
                number(json, "rowsWarned", 0),
                byRule,
                number(json, "triggerDelayMs", 0),
                json.get("write") instanceof Map<?, ?> w ? writeFigures((Map<String, Object>) w) : WriteFigures.NONE);
    }

    @SuppressWarnings("unchecked")
    private static WriteFigures writeFigures(Map<String, Object> w) {
        ControlFigures control = ControlFigures.NONE;
        if (w.get("control") instanceof Map<?, ?> raw) {
            Map<String, Object> c = (Map<String, Object>) raw;
            control = new ControlFigures(number(c, "limit", 0), number(c, "rowsPerSecond", 0),
                    number(c, "latencyMicros", 0), number(c, "targetMicros", 0), (String) c.get("reason"));
        }
        return new WriteFigures(number(w, "requests", 0), number(w, "p50Micros", 0), number(w, "p99Micros", 0),
                number(w, "timeouts", 0), number(w, "retries", 0), number(w, "inFlightPeak", 0), control);
    }

    private static long number(Map<String, Object> json, String key, long fallback) {
        return json.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    private static void appendEntries(StringBuilder out, Map<?, Long> entries) {
        boolean first = true;
        for (var e : entries.entrySet()) {
            out.append(first ? "" : ",").append(Json.quote(String.valueOf(e.getKey()))).append(':').append(e.getValue());
            first = false;
        }
    }

    private static Map<String, Map<Integer, Long>> copyOffsets(Map<String, Map<Integer, Long>> offsets) {
        Map<String, Map<Integer, Long>> copy = new LinkedHashMap<>();
        offsets.forEach((topic, partitions) -> copy.put(topic, Map.copyOf(partitions)));
        return Map.copyOf(copy);
    }
}
