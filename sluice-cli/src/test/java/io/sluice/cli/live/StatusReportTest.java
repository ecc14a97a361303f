package io.sluice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.dashboard.FlowSnapshot;
import io.sluice.dashboard.FlowSnapshot.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusReportTest {
    @TempDir
    Path dataDir;

    @Test
    void aRunningPipelinesFiguresArePrintedAndALeftoverFileOfADeadProcessIsSkipped() throws Exception {
        FlowSnapshot flow = new FlowSnapshot(0, "demo_users", List.of(new Stage("cassandra", "Cassandra", 198.5, 200, 4000,
                "p99 9.0 ms")), 1234, 10, 1000, Map.of("parse:malformed", 2L), 4000, 2.1, 9.0, "cassandra", "at its limit");
        write("demo_users", ProcessHandle.current().pid(), flow);
        write("crashed", Long.MAX_VALUE - 1, flow);

        List<String> lines = StatusReport.lines(dataDir);
        assertThat(String.join("\n", lines)).as("the figures of the live pipeline")
                .contains("Pipeline demo_users (pid " + ProcessHandle.current().pid() + "), dashboard http://127.0.0.1:1/")
                .contains("Cassandra").contains("198.5/s").contains("limit 200/s")
                .contains("rows written 4,000 | Kafka lag 1,234 | queue 10 / 1,000 | write latency p50 2.1 ms, p99 9.0 ms")
                .contains("quarantine: parse:malformed 2").contains("holding the flow back: cassandra (at its limit)");
        assertThat(lines).as("one block: the file of a process that is gone is skipped").filteredOn(l -> l.startsWith("Pipeline"))
                .hasSize(1);
    }

    private void write(String name, long pid, FlowSnapshot flow) throws Exception {
        Files.createDirectories(dataDir.resolve("live"));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("pid", pid);
        status.put("dashboard", "http://127.0.0.1:1/");
        status.put("flow", flow);
        new ObjectMapper().writeValue(dataDir.resolve("live").resolve(name + ".json").toFile(), status);
    }
}
