package io.sluice.ingest.source.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.sluice.config.PipelineConfig;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * THE CREDENTIAL SEAM of the gRPC source: the one place that says how a call proves who it is. Today it sends
 * {@code source.headers} as metadata on every call, and uses TLS with the JVM's trusted CAs for a {@code grpcs://}
 * URL. When the shared credential code of the HTTP sources ({@code source.http.ApiCredentials} and
 * {@code SourceTls}: {@code source.auth.*}, {@code source.tls.*}) is on the same branch, connect it here:
 * {@link #requestMetadata()} adds its {@code Authorization} value, {@link #refresh()} refreshes an OAuth2 token, and
 * {@link #channelCredentials()} builds {@code TlsChannelCredentials} from its truststore and keystore. Nothing else in
 * the gRPC source needs to change. Header values may be secrets: they are never logged.
 */
public class GrpcCredentials {
    private final boolean tls;
    private final Map<String, String> headers;

    GrpcCredentials(boolean tls, Map<String, String> headers) {
        this.tls = tls;
        this.headers = Map.copyOf(headers);
    }

    public static GrpcCredentials from(PipelineConfig config) {
        boolean tls = "grpcs".equalsIgnoreCase(URI.create(config.sourceUrl()).getScheme());
        return new GrpcCredentials(tls, config.sourceHeaders());
    }

    /** Transport security for the channel: TLS for grpcs, plaintext for grpc. */
    public ChannelCredentials channelCredentials() {
        return tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    }

    /** Metadata sent with every call (each connect): the configured headers, names lower-cased as HTTP/2 wants. */
    public Metadata requestMetadata() {
        Metadata metadata = new Metadata();
        headers.forEach((name, value) -> metadata.put(
                Metadata.Key.of(name.toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER), value));
        return metadata;
    }

    /**
     * The server answered UNAUTHENTICATED: fetch fresh credentials before the one retry. Static headers cannot be
     * refreshed, so this does nothing yet; a token-based credential refreshes its token here.
     */
    public void refresh() {
    }

    /** The keys a user fixes when the server keeps refusing the credentials. */
    public String keysToFix() {
        return "`source.headers`";
    }
}
