package io.sluice.stream.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamProgressTest {
    private static final Instant AT = Instant.parse("2025-01-01T10:00:07.500Z");

    @Test
    void batchLineRoundTrips() {
        StreamProgress batch = StreamProgress.batch(3, AT, 1000, 998, 2, Map.of("malformed", 2L), 1834,
                Map.of("users_created", Map.of(0, 334L, 1, 333L, 2, 333L)));

        String json = batch.toJson();

        assertThat(json).as("the line is flat, ordered JSON a person can read")
                .isEqualTo("{\"event\":\"batch\",\"batchId\":3,\"timestamp\":\"2025-01-01T10:00:07.500Z\","
                        + "\"numInputRows\":1000,\"rowsWritten\":998,\"rowsSkipped\":2,\"skippedByReason\":{\"malformed\":2},"
                        + "\"durationMs\":1834,\"endOffsets\":{\"users_created\":{\"0\":334,\"1\":333,\"2\":333}}}");
        assertThat(StreamProgress.parse(json)).isEqualTo(batch);
    }

    @Test
    void startedAndStoppedLinesRoundTripWithEscapedText() {
        StreamProgress started = StreamProgress.started(AT, "demo_users");
        StreamProgress stopped = StreamProgress.stopped(AT, "failed: \"quoted\"\n\tand a tab \u00e9");

        assertThat(StreamProgress.parse(started.toJson())).isEqualTo(started);
        assertThat(StreamProgress.parse(stopped.toJson())).isEqualTo(stopped);
    }

    @Test
    void unknownFieldsAreIgnoredSoTheFormatCanGrow() {
        StreamProgress parsed = StreamProgress.parse("{\"event\":\"batch\",\"batchId\":1,\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"numInputRows\":5,\"future\":{\"nested\":[1,2.5,true,null]}}");
        assertThat(parsed.numInputRows()).isEqualTo(5);
        assertThat(parsed.batchId()).isEqualTo(1);
    }

    @Test
    void fileReaderSkipsAHalfWrittenLastLineAndMergesOffsets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p/progress.jsonl");
        ProgressFile.append(file, StreamProgress.started(AT, "demo"));
        ProgressFile.append(file, StreamProgress.batch(0, AT, 10, 10, 0, Map.of(), 5, Map.of("t", Map.of(0, 4L, 1, 6L))));
        ProgressFile.append(file, StreamProgress.batch(1, AT, 3, 3, 0, Map.of(), 5, Map.of("t", Map.of(0, 7L))));
        Files.writeString(file, "{\"event\":\"batch\",\"batc", java.nio.file.StandardOpenOption.APPEND);

        List<StreamProgress> lines = ProgressFile.read(file);

        assertThat(lines).extracting(StreamProgress::event).containsExactly("started", "batch", "batch");
        assertThat(ProgressFile.consumedOffsets(lines)).as("the highest end offset per partition over all batches")
                .isEqualTo(Map.of("t", Map.of(0, 7L, 1, 6L)));
        assertThat(ProgressFile.rowsWritten(lines)).isEqualTo(13);
    }

    @Test
    void missingFileReadsAsNoProgress(@TempDir Path dir) {
        assertThat(ProgressFile.read(dir.resolve("absent.jsonl"))).isEmpty();
    }
}
