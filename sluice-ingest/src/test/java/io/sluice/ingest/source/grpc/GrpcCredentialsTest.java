package io.sluice.ingest.source.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.sluice.config.ConfigException;
import io.sluice.ingest.TestConfigs;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gRPC source sends the same credentials as every HTTP-based source, as call metadata. */
class GrpcCredentialsTest {
    private static final Map<String, String> GRPC = Map.of("source.type", "grpc",
            "source.url", "grpc://127.0.0.1:50051", "source.grpc.method", "demo.v1.Users/Stream",
            "source.records_path", "", "record.key", "id");

    private static GrpcCredentials credentials(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(GRPC);
        all.putAll(extra);
        return GrpcCredentials.from(TestConfigs.config(all));
    }

    private static String header(Metadata metadata, String name) {
        return metadata.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }

    @Test
    void aBearerTokenAndStaticHeadersTravelAsMetadata() {
        Metadata metadata = credentials(Map.of("source.auth.type", "bearer", "source.auth.token", "t0ken",
                "source.headers.X-Tenant", "acme")).requestMetadata();
        assertThat(header(metadata, "authorization")).isEqualTo("Bearer t0ken");
        assertThat(header(metadata, "x-tenant")).as("header names are lower-cased as HTTP/2 wants").isEqualTo("acme");
    }

    @Test
    void anApiKeyHeaderTravelsAsMetadataButAQueryParameterIsRefused() {
        Metadata metadata = credentials(Map.of("source.auth.type", "api_key", "source.auth.api_key", "k3y",
                "source.auth.api_key_header", "X-API-Key")).requestMetadata();
        assertThat(header(metadata, "x-api-key")).isEqualTo("k3y");
        assertThatThrownBy(() -> credentials(Map.of("source.auth.type", "api_key", "source.auth.api_key", "k3y",
                "source.auth.api_key_param", "key")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("source.auth.api_key_param")
                .hasMessageNotContaining("k3y");
    }

    @Test
    void grpcIsPlaintextAndGrpcsUsesTls() {
        assertThat(credentials(Map.of()).channelCredentials()).isInstanceOf(InsecureChannelCredentials.class);
        assertThat(credentials(Map.of("source.url", "grpcs://127.0.0.1:50051")).channelCredentials())
                .isInstanceOf(TlsChannelCredentials.class);
        assertThat(credentials(Map.of()).keysToFix()).contains("source.auth.type");
    }
}
