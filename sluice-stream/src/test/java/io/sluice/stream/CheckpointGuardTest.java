package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointGuardTest {
    @TempDir
    Path dir;

    @Test
    void firstStartWritesTheFingerprintAndTheSamePipelinePasses() {
        Path checkpoint = dir.resolve("cp");
        CheckpointGuard.check(checkpoint, DemoPipeline.load());
        assertThat(checkpoint.resolve(CheckpointGuard.FINGERPRINT)).exists();
        CheckpointGuard.check(checkpoint, DemoPipeline.load(Map.of("kafka.bootstrap_servers", "10.0.0.1:9092")));
    }

    @Test
    void aChangedTopicIsAPlainSentence() {
        Path checkpoint = dir.resolve("cp");
        CheckpointGuard.check(checkpoint, DemoPipeline.load());
        assertThatThrownBy(() -> CheckpointGuard.check(checkpoint, DemoPipeline.load(Map.of("kafka.topic", "users_v2"))))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessage("The checkpoint at " + checkpoint + " was written for topic users_created, but the pipeline "
                        + "now reads users_v2. Point stream.checkpoint_dir at a new directory to start over, or restore "
                        + "the old topic.");
    }

    @Test
    void aChangedPipelineNameIsRefused() {
        Path checkpoint = dir.resolve("cp");
        CheckpointGuard.check(checkpoint, DemoPipeline.load());
        assertThatThrownBy(() -> CheckpointGuard.check(checkpoint, DemoPipeline.load(Map.of("pipeline.name", "other"))))
                .hasMessageContaining("belongs to pipeline demo_users, but this pipeline is other");
    }

    @Test
    void aCheckpointWithoutFingerprintIsReadFromSparksOffsetLog() throws Exception {
        Path checkpoint = dir.resolve("legacy");
        Files.createDirectories(checkpoint.resolve("offsets"));
        Files.writeString(checkpoint.resolve("offsets/0"), "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1,"
                + "\"conf\":{\"a\":\"b\"}}\n{\"users_created\":{\"0\":5,\"1\":7}}");
        Files.writeString(checkpoint.resolve("offsets/1"), "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1,"
                + "\"conf\":{\"a\":\"b\"}}\n{\"users_created\":{\"0\":9,\"1\":7}}");
        assertThat(CheckpointGuard.topicsInSparkMetadata(checkpoint)).isEqualTo(Set.of("users_created"));
        assertThatThrownBy(() -> CheckpointGuard.check(checkpoint, DemoPipeline.load(Map.of("kafka.topic", "users_v2"))))
                .hasMessageContaining("was written for topic users_created, but the pipeline now reads users_v2");
        CheckpointGuard.check(checkpoint, DemoPipeline.load());
        assertThat(checkpoint.resolve(CheckpointGuard.FINGERPRINT)).as("an old checkpoint is adopted").exists();
    }
}
