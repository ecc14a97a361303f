package io.sluice.ingest.source.rest;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link SourceContext} that keeps what the source reports, and hands it a saved position to resume from. */
final class RecordingContext implements SourceContext {
    final List<String> pollErrors = new CopyOnWriteArrayList<>();
    private final PipelineConfig config;
    private final SourcePosition resumeFrom;

    RecordingContext(PipelineConfig config) {
        this(config, null);
    }

    RecordingContext(PipelineConfig config, SourcePosition resumeFrom) {
        this.config = config;
        this.resumeFrom = resumeFrom;
    }

    @Override
    public PipelineConfig config() {
        return config;
    }

    @Override
    public void reportPollError(String reason) {
        pollErrors.add(reason);
    }

    @Override
    public Optional<SourcePosition> resumeFrom() {
        return Optional.ofNullable(resumeFrom);
    }
}
