package io.sluice.ingest.position;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ingest.source.SourcePosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A position in a small JSON file, {@code <data dir>/positions/<pipeline>.json}. Each save writes a temporary file
 * beside it, forces it to disk and renames it over the old one, so a crash mid-write leaves the previous position, never
 * half a file. The file also names the source type: a position written by one kind of source means nothing to another,
 * so it is ignored (with a warning) when {@code source.type} changed.
 */
public final class FilePositionStore implements PositionStore {
    private static final Logger LOG = LoggerFactory.getLogger(FilePositionStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final String sourceType;
    private final Clock clock;

    public FilePositionStore(Path file, String sourceType) {
        this(file, sourceType, Clock.systemUTC());
    }

    FilePositionStore(Path file, String sourceType, Clock clock) {
        this.file = file.toAbsolutePath();
        this.sourceType = sourceType;
        this.clock = clock;
    }

    /** The store of pipeline {@code pipelineName} under {@code dataDir}. */
    public static FilePositionStore under(Path dataDir, String pipelineName, String sourceType) {
        return new FilePositionStore(dataDir.resolve("positions").resolve(pipelineName + ".json"), sourceType);
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<SourcePosition> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("the saved source position " + file + " is unreadable (" + e.getMessage()
                    + "); fix or delete it to start from the source's beginning", e);
        }
        String savedType = root.path("source_type").asText("");
        if (!savedType.equals(sourceType)) {
            LOG.warn("Ignoring the saved position in {}: it was written by a `{}` source, this pipeline's source is `{}`",
                    file, savedType, sourceType);
            return Optional.empty();
        }
        JsonNode position = root.get("position");
        return position == null || !position.isTextual() ? Optional.empty() : Optional.of(SourcePosition.of(position.asText()));
    }

    @Override
    public void save(SourcePosition position) {
        ObjectNode root = MAPPER.createObjectNode()
                .put("source_type", sourceType)
                .put("position", position.value())
                .put("saved_at", clock.instant().toString());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the source position to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
