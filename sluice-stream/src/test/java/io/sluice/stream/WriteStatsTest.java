package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.stream.adaptive.ControlReason;
import io.sluice.stream.adaptive.ControlState;
import io.sluice.stream.launch.StreamProgress;
import io.sluice.stream.launch.StreamProgress.ControlFigures;
import io.sluice.stream.launch.StreamProgress.WriteFigures;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteStatsTest {
    @Test
    void tasksMergeExactlyAndTheQuantilesAreTheUpperEdgesOfTheirBuckets() {
        WriteStats first = new WriteStats();
        WriteStats second = new WriteStats();
        for (int i = 0; i < 98; i++) {
            first.latency(1_500_000); // 1.5 ms: the bucket 1024..2048 µs
        }
        second.latency(40_000_000); // 40 ms: the bucket 32768..65536 µs
        second.latency(40_000_000);
        first.retry(true);
        second.retry(false);
        first.inFlight(7);
        second.inFlight(5);
        WriteStats total = new WriteStats();
        total.addAll(first);
        total.addAll(second);

        assertThat(total.figures()).as("100 requests of two tasks")
                .isEqualTo(new WriteFigures(100, 2048, 65536, 1, 2, 12));
        assertThat(new WriteStats().figures()).as("a task without requests").isEqualTo(WriteFigures.NONE);
    }

    @Test
    void aBatchLineCarriesTheTriggerDelayAndTheWriterFiguresThroughItsJson() {
        StreamProgress line = StreamProgress.batch(3, Instant.parse("2025-01-01T10:00:00Z"), 10, 10, 0, Map.of(), 50,
                Map.of("t", Map.of(0, 10L))).withFlow(4200, new WriteFigures(2, 1024, 4096, 0, 1, 3));

        StreamProgress parsed = StreamProgress.parse(line.toJson());
        assertThat(parsed.triggerDelayMs()).as("trigger delay after a round trip").isEqualTo(4200);
        assertThat(parsed.write()).as("writer figures after a round trip").isEqualTo(line.write());
        assertThat(StreamProgress.parse("{\"event\":\"batch\",\"batchId\":0,\"timestamp\":\"2025-01-01T10:00:00Z\"}").write())
                .as("a line written before these figures existed").isEqualTo(WriteFigures.NONE);
    }

    @Test
    void tasksOfOneExecutorReportItsControllerOnceAndExecutorsAddUp() {
        WriteStats firstTask = new WriteStats();
        WriteStats secondTask = new WriteStats();
        WriteStats otherExecutor = new WriteStats();
        firstTask.control(new ControlState("a", 100, 40, 8_000, 3_000_000, 6_000_000, ControlReason.GROWING));
        secondTask.control(new ControlState("a", 200, 20, 4_000, 9_000_000, 6_000_000, ControlReason.SLOW));
        otherExecutor.control(new ControlState("b", 150, 30, 6_000, 2_000_000, 5_000_000, ControlReason.GROWING));
        WriteStats total = new WriteStats();
        total.addAll(firstTask);
        total.addAll(secondTask);
        total.addAll(otherExecutor);

        assertThat(total.figures().control()).as("executor a's later state, plus executor b")
                .isEqualTo(new ControlFigures(50, 10_000, 9_000, 6_000, "slow"));
        assertThat(new WriteStats().figures().control()).as("static limits").isEqualTo(ControlFigures.NONE);
    }

    @Test
    void theControllerFiguresSurviveTheJsonLine() {
        WriteFigures figures = new WriteFigures(2, 1024, 4096, 0, 1, 3,
                new ControlFigures(64, 12_000, 2048, 6144, "growing"));
        StreamProgress line = StreamProgress.batch(3, Instant.parse("2025-01-01T10:00:00Z"), 10, 10, 0, Map.of(), 50,
                Map.of("t", Map.of(0, 10L))).withFlow(0, figures);

        assertThat(StreamProgress.parse(line.toJson()).write()).isEqualTo(figures);
    }
}
