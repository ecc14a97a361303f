package io.sluice.ingest.position;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.source.SourcePosition;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePositionStoreTest {
    @TempDir
    Path dataDir;

    @Test
    void aSavedPositionIsLoadedByTheNextStoreOfTheSamePipeline() {
        FilePositionStore.under(dataDir, "users", "rest_poll").save(SourcePosition.of("{\"cursor\":\"c7\"}"));

        FilePositionStore next = FilePositionStore.under(dataDir, "users", "rest_poll");

        assertThat(next.file()).isEqualTo(dataDir.resolve("positions/users.json").toAbsolutePath());
        assertThat(next.load()).contains(SourcePosition.of("{\"cursor\":\"c7\"}"));
        assertThat(dataDir.resolve("positions/users.json.tmp")).as("the temp file was renamed away").doesNotExist();
    }

    @Test
    void aLaterSaveReplacesTheEarlierOne() {
        FilePositionStore store = FilePositionStore.under(dataDir, "users", "sse");
        store.save(SourcePosition.of("41"));
        store.save(SourcePosition.of("42"));
        assertThat(store.load()).contains(SourcePosition.of("42"));
    }

    @Test
    void nothingSavedMeansNoPosition() {
        assertThat(FilePositionStore.under(dataDir, "users", "rest_poll").load()).isEmpty();
    }

    @Test
    void aPositionWrittenByAnotherSourceTypeIsIgnored() {
        FilePositionStore.under(dataDir, "users", "sse").save(SourcePosition.of("42"));
        assertThat(FilePositionStore.under(dataDir, "users", "rest_poll").load()).isEmpty();
    }

    @Test
    void aCorruptFileIsAnErrorThatSaysWhatToDo() throws Exception {
        Files.createDirectories(dataDir.resolve("positions"));
        Files.writeString(dataDir.resolve("positions/users.json"), "{not json");
        assertThatThrownBy(() -> FilePositionStore.under(dataDir, "users", "rest_poll").load())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("fix or delete it");
    }
}
