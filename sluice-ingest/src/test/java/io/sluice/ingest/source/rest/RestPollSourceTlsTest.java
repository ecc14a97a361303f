package io.sluice.ingest.source.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.Password;
import io.sluice.config.TlsStores;
import io.sluice.ingest.ManualTicker;
import io.sluice.ingest.TestConfigs;
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
import javax.net.ssl.KeyManagerFactory;
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
    private static final String STORE_PASSWORD = "tls-Store-Pass-61";

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

    /** A server keystore with a self-signed certificate for {@code san}, and a truststore holding that certificate. */
    private Path[] stores(String san) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        Path truststore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=test-api",
                "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString());
        keytool("-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString());
        return new Path[] {keystore, truststore};
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass:env", "STORE_PASSWORD")); // never on the command line
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put("STORE_PASSWORD", STORE_PASSWORD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }

    private String serve(Path keystore) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TlsStores.load(keystore.toString(), new Password(STORE_PASSWORD)), STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
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
