package io.sluice.ingest.source.http;

import io.sluice.config.PipelineConfig;
import io.sluice.config.TlsStores;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS of a source ({@code source.tls.*}): the truststore to check the server against (the JVM's CAs when unset), an
 * optional client certificate (mTLS), hostname verification on unless {@code source.tls.verify_hostname: false}. One
 * place, so REST, SSE, WebSocket, MQTT (and gRPC later) trust servers the same way; the stores are read with
 * {@link TlsStores}, as Kafka's and Cassandra's are.
 */
public final class SourceTls {
    private SourceTls() {
    }

    /** True when the pipeline says anything about TLS; otherwise clients keep the JVM's defaults. */
    public static boolean configured(PipelineConfig config) {
        return config.sourceTlsTruststorePath() != null || config.sourceTlsKeystorePath() != null
                || !config.sourceTlsVerifyHostname();
    }

    /** The SSLContext for this source's clients. */
    public static SSLContext context(PipelineConfig config) {
        if (config.sourceTlsVerifyHostname()) {
            return TlsStores.context(config.sourceTlsTruststorePath(), config.sourceTlsTruststorePassword(),
                    config.sourceTlsKeystorePath(), config.sourceTlsKeystorePassword());
        }
        try {
            // The JDK checks the host name inside the trust manager (checkServerTrusted with an engine); trusting the
            // chain without the engine keeps the CA check and drops only the name check, for this client alone.
            X509TrustManager chainOnly = null;
            for (TrustManager tm : TlsStores.trustManagers(config.sourceTlsTruststorePath(),
                    config.sourceTlsTruststorePassword())) {
                if (tm instanceof X509TrustManager x509) {
                    chainOnly = x509;
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(TlsStores.keyManagers(config.sourceTlsKeystorePath(), config.sourceTlsKeystorePassword()),
                    new TrustManager[] {new ChainOnly(chainOnly)}, null);
            return context;
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new io.sluice.config.ConfigException("Cannot open the TLS stores of `source.tls.*` ("
                    + e.getClass().getSimpleName() + "): check the paths and their password keys.");
        }
    }

    /** A JDK HTTP client builder with this source's TLS (and nothing else set). */
    public static HttpClient.Builder httpClient(PipelineConfig config) {
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (configured(config)) {
            builder.sslContext(context(config));
        }
        return builder;
    }

    /** Checks the chain against the truststore, ignoring which host it was for. */
    private static final class ChainOnly extends X509ExtendedTrustManager {
        private final X509TrustManager delegate;

        ChainOnly(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
