package io.sluice.ingest.source;

import io.sluice.config.ConfigException;
import io.sluice.config.PipelineConfig;

/** Creates the source plug-in named by {@code source.type}. New source kinds register here. */
public final class SourceTasks {
    private SourceTasks() {
    }

    public static SourceTask create(PipelineConfig config) {
        return switch (config.sourceType()) {
            case RestPollSource.TYPE -> new RestPollSource();
            default -> throw new ConfigException("`source.type` " + config.sourceType() + " has no source plug-in in "
                    + "sluice-ingest; known: " + RestPollSource.TYPE);
        };
    }
}
