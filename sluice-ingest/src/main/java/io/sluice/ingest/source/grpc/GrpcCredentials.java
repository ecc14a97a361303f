package io.sluice.ingest.source.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.sluice.config.ConfigException;
import io.sluice.config.PipelineConfig;
import io.sluice.config.TlsStores;
import io.sluice.ingest.source.http.ApiCredentials;
import io.sluice.ingest.source.http.SourceTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.Locale;

/**
 * How a gRPC call proves who it is, from the same keys as every HTTP-based source: {@code source.headers} and the
 * {@code source.auth.*} credential ({@link ApiCredentials}: bearer, basic, an API key header, an OAuth2 token cached
 * and refreshed) go as call metadata on every connect; {@code source.tls.*} (a private CA, a client certificate) builds
 * the channel's TLS for a {@code grpcs://} URL. Header values are secrets: they are never logged.
 */
public class GrpcCredentials {
    private final PipelineConfig config;
    private final boolean tls;
    private final ApiCredentials api;
    private volatile ApiCredentials.Authorization lastUsed;

    GrpcCredentials(PipelineConfig config, boolean tls, ApiCredentials api) {
        this.config = config;
        this.tls = tls;
        this.api = api;
    }

    public static GrpcCredentials from(PipelineConfig config) {
        boolean tls = "grpcs".equalsIgnoreCase(URI.create(config.sourceUrl()).getScheme());
        ApiCredentials api = ApiCredentials.from(config,
                SourceTls.httpClient(config).connectTimeout(config.sourceTimeout()).build());
        return new GrpcCredentials(config, tls, api);
    }

    /** Transport security for the channel: TLS for grpcs (with {@code source.tls.*} when set), plaintext for grpc. */
    public ChannelCredentials channelCredentials() {
        if (!tls) {
            return InsecureChannelCredentials.create();
        }
        if (config.sourceTlsTruststorePath() == null && config.sourceTlsKeystorePath() == null) {
            return TlsChannelCredentials.create(); // the JVM's trusted CAs
        }
        try {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder()
                    .trustManager(TlsStores.trustManagers(config.sourceTlsTruststorePath(), config.sourceTlsTruststorePassword()));
            var keys = TlsStores.keyManagers(config.sourceTlsKeystorePath(), config.sourceTlsKeystorePassword());
            if (keys != null) {
                builder.keyManager(keys);
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("Cannot open the TLS stores of `source.tls.*` (" + e.getClass().getSimpleName()
                    + "): check the paths and their password keys.");
        }
    }

    /**
     * Metadata sent with every call (each connect): the configured headers and the credential, names lower-cased as
     * HTTP/2 wants. With OAuth2 this waits for a fresh token when the cached one is due.
     */
    public Metadata requestMetadata() {
        ApiCredentials.Authorization authorization;
        try {
            authorization = api.authorizationNow();
        } catch (IOException e) {
            throw new UncheckedIOException("could not get credentials for the call: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while getting credentials for the call", e);
        }
        lastUsed = authorization;
        Metadata metadata = new Metadata();
        authorization.forEachHeader((name, value) -> metadata.put(
                Metadata.Key.of(name.toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER), value));
        return metadata;
    }

    /** The server answered UNAUTHENTICATED: the next call fetches a fresh OAuth2 token (static credentials stay). */
    public void refresh() {
        ApiCredentials.Authorization used = lastUsed;
        if (used != null) {
            api.rejected(used);
        }
    }

    /** OAuth2 tokens granted so far (0 for other credential types). */
    public long tokenGrants() {
        return api.tokenGrants();
    }

    /** The keys a user fixes when the server keeps refusing the credentials. */
    public String keysToFix() {
        return config.sourceAuthType().equals("none") ? "`source.headers` (or set `source.auth.type`)"
                : "`source.auth.*` and `source.headers`";
    }
}
