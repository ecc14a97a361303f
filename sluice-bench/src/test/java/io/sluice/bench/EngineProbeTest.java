package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineProbeTest {

    @Test
    void extraSettingsArePipelineKeysInTheOrderGiven() {
        assertThat(EngineProbe.extraSettings("sink.batch_size_rows=16, stream.partitions = 3,dq.x=a=b"))
                .containsExactly(Map.entry("sink.batch_size_rows", "16"),
                        Map.entry("stream.partitions", "3"), Map.entry("dq.x", "a=b"));
        assertThat(EngineProbe.extraSettings("")).isEmpty();
        assertThat(EngineProbe.extraSettings(" , ")).isEmpty();
    }

    @Test
    void aSettingWithoutKeyOrValueIsNamed() {
        assertThatThrownBy(() -> EngineProbe.extraSettings("sink.batch_size_rows"))
                .hasMessageContaining("'sink.batch_size_rows' is not key=value");
        assertThatThrownBy(() -> EngineProbe.extraSettings("=16")).hasMessageContaining("'=16'");
    }
}
