package io.sluice.ingest.source.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.ingest.ManualTicker;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.http.TestCertificates;
import io.sluice.ingest.source.SourceRecord;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST source against a local HTTPS server whose certificate the JDK's keytool made: untrusted, it stops with
 * the one sentence and exit code 5; trusted through {@code source.tls.truststore.*}, it reads; a certificate for
 * another host name is refused unless {@code source.tls.verify_hostname} is off.
 */
class RestPollSourceTlsTest {
    private static final String STORE_PASSWORD = TestCertificates.STORE_PASSWORD;

    @TempDir
    Path dir;
    private HttpsServer server;
    private RestPollSource source;

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.stop();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private Path[] stores(String san) throws Exception {
        return TestCertificates.stores(dir, san);
    }

    private String serve(Path keystore) throws Exception {
        SSLContext context = TestCertificates.serverContext(keystore);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = "[{\"id\":\"user-1\"}]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/api/users";
    }

    private List<SourceRecord> poll(String url, Map<String, String> tls) throws Exception {
        Map<String, String> keys = new HashMap<>(tls);
        keys.put("source.url", url);
        keys.put("source.records_path", "");
        keys.put("record.key", "id");
        keys.put("source.max_retries", "0");
        source = new RestPollSource(new ManualTicker(), Clock.systemUTC(), () -> 0.5, false, cycle -> { });
        source.start(new RecordingContext(TestConfigs.config(keys)));
        List<SourceRecord> out = new ArrayList<>();
        for (int i = 0; i < 50 && out.isEmpty(); i++) {
            out.addAll(source.poll(Duration.ofMillis(200)));
        }
        return out;
    }

    @Test
    void anUntrustedCertificateStopsTheSourceWithOneSentenceAndExitCodeFive() throws Exception {
        String url = serve(stores("ip:127.0.0.1")[0]);
        assertThatThrownBy(() -> poll(url, Map.of())).isInstanceOf(ConnectionRefusedException.class)
                .hasMessage("The TLS certificate of the source at " + url + " is not trusted: point "
                        + "`source.tls.truststore.path` (now unset, so the JVM's own CAs) at a truststore holding the CA "
                        + "that signed it.")
                .satisfies(e -> assertThat(((ConnectionRefusedException) e).exitCode()).isEqualTo(5));
    }

    @Test
    void aConfiguredTruststoreIsTrusted() throws Exception {
        Path[] stores = stores("ip:127.0.0.1");
        String url = serve(stores[0]);
        assertThat(poll(url, Map.of("source.tls.truststore.path", stores[1].toString(),
                "source.tls.truststore.password", STORE_PASSWORD))).extracting(SourceRecord::key).containsExactly("user-1");
    }

    @Test
    void aCertificateForAnotherHostIsRefusedUnlessHostnameVerificationIsOff() throws Exception {
        Path[] stores = stores("dns:api.example.org");
        String url = serve(stores[0]);
        Map<String, String> trust = Map.of("source.tls.truststore.path", stores[1].toString(),
                "source.tls.truststore.password", STORE_PASSWORD);
        assertThatThrownBy(() -> poll(url, trust)).isInstanceOf(ConnectionRefusedException.class)
                .hasMessageContaining("is not issued for that host name");
        source.stop();
        Map<String, String> lax = new HashMap<>(trust);
        lax.put("source.tls.verify_hostname", "false");
        assertThat(poll(url, lax)).as("with verify_hostname off, the CA check alone decides")
                .extracting(SourceRecord::key).containsExactly("user-1");
    }
}
