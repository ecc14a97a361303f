package io.sluice.ingest.source;

import io.sluice.config.ConfigException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.source.grpc.GrpcSource;
import io.sluice.ingest.source.mqtt.MqttSource;
import io.sluice.ingest.source.rest.RestPollSource;
import io.sluice.ingest.source.sse.SseSource;
import io.sluice.ingest.source.websocket.WebSocketSource;

/** Creates the source plug-in named by {@code source.type}. New source kinds register here. */
public final class SourceTasks {
    private SourceTasks() {
    }

    public static SourceTask create(PipelineConfig config) {
        return switch (config.sourceType()) {
            case RestPollSource.TYPE -> new RestPollSource();
            case MqttSource.TYPE -> new MqttSource();
            case SseSource.TYPE -> new SseSource();
            case WebSocketSource.TYPE -> new WebSocketSource();
            case GrpcSource.TYPE -> new GrpcSource();
            default -> throw new ConfigException("`source.type` " + config.sourceType() + " has no source plug-in in "
                    + "sluice-ingest; known: " + RestPollSource.TYPE + ", " + SseSource.TYPE + ", " + WebSocketSource.TYPE + ", "
                    + MqttSource.TYPE + ", " + GrpcSource.TYPE);
        };
    }
}
