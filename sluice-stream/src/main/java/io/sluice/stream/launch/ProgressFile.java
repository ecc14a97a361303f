package io.sluice.stream.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads and appends the JSON-lines progress file described in {@link StreamProgress}. */
public final class ProgressFile {
    private ProgressFile() {
    }

    /** Appends one line and flushes it to the OS, so a reader in another process sees every finished batch. */
    public static synchronized void append(Path file, StreamProgress progress) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, progress.toJson() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to progress file " + file, e);
        }
    }

    /**
     * Every complete line; an empty list when the file does not exist yet. A last line without its newline is still
     * being written and is left for the next read.
     */
    public static List<StreamProgress> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read progress file " + file, e);
        }
        List<StreamProgress> out = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; start = nl + 1, nl = text.indexOf('\n', start)) {
            String line = text.substring(start, nl).strip();
            if (!line.isEmpty()) {
                out.add(StreamProgress.parse(line));
            }
        }
        return out;
    }

    /** Highest end offset per topic and partition over all batches: how far the job has written. */
    public static Map<String, Map<Integer, Long>> consumedOffsets(List<StreamProgress> progress) {
        Map<String, Map<Integer, Long>> merged = new HashMap<>();
        for (StreamProgress p : progress) {
            p.endOffsets().forEach((topic, partitions) -> partitions.forEach((partition, offset) ->
                    merged.computeIfAbsent(topic, t -> new HashMap<>()).merge(partition, offset, Math::max)));
        }
        return merged;
    }

    /** Total rows written to Cassandra over all batches (a replayed batch counts again). */
    public static long rowsWritten(List<StreamProgress> progress) {
        return progress.stream().mapToLong(StreamProgress::rowsWritten).sum();
    }
}
