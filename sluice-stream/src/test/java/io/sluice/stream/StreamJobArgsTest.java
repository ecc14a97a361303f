package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamJobArgsTest {

    @Test
    void parsesEveryOption() {
        StreamJobArgs args = StreamJobArgs.parse("--pipeline", "p.yaml", "--data-dir", "/d", "--set", "a.b=1",
                "--set", "sink.ttl=1h", "--progress-file", "/d/p.jsonl", "--available-now");

        assertThat(args.pipeline()).isEqualTo(Path.of("p.yaml"));
        assertThat(args.dataDir()).isEqualTo(Path.of("/d"));
        assertThat(args.overrides()).isEqualTo(Map.of("a.b", "1", "sink.ttl", "1h"));
        assertThat(args.progressFile()).isEqualTo(Path.of("/d/p.jsonl"));
        assertThat(args.availableNow()).isTrue();
    }

    @Test
    void defaultsToDotSluiceAndNoProgressFile() {
        StreamJobArgs args = StreamJobArgs.parse("--pipeline", "p.yaml");
        assertThat(args.dataDir()).isEqualTo(Path.of(".sluice"));
        assertThat(args.progressFile()).isNull();
        assertThat(args.availableNow()).isFalse();
    }

    @Test
    void pipelineIsRequired() {
        assertThatThrownBy(() -> StreamJobArgs.parse("--available-now")).hasMessageContaining("--pipeline");
    }

    @Test
    void setNeedsKeyEqualsValue() {
        assertThatThrownBy(() -> StreamJobArgs.parse("--pipeline", "p", "--set", "novalue"))
                .hasMessageContaining("key=value");
    }

    @Test
    void unknownArgumentIsNamed() {
        assertThatThrownBy(() -> StreamJobArgs.parse("--pipeline", "p", "--bogus")).hasMessageContaining("--bogus");
    }

    @Test
    void optionWithoutValueIsNamed() {
        assertThatThrownBy(() -> StreamJobArgs.parse("--pipeline")).hasMessageContaining("--pipeline needs a value");
    }
}
