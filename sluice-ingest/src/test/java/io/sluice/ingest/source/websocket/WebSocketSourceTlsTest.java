package io.sluice.ingest.source.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.http.TestCertificates;
import io.sluice.ingest.source.push.SourceHarness;
import io.sluice.ingest.source.push.WebSocketWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wss: the server's certificate is checked against `source.tls.*` as every other source checks it. */
class WebSocketSourceTlsTest {
    @TempDir
    Path dir;
    private ServerSocket server;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /**
     * A wss server that sends its one message on the first connection that gets through the TLS handshake, then closes
     * normally; later connections (the source reconnects after a close) get the close alone, as a feed with nothing
     * new would send. Sending the message on every connection made the test count a feed that replays, not the
     * source.
     */
    private String serve(Path keystore) throws Exception {
        AtomicBoolean sent = new AtomicBoolean();
        server = TestCertificates.serverContext(keystore).getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    WebSocketWire.accept(WebSocketWire.readRequest(in), out);
                    if (!sent.getAndSet(true)) {
                        WebSocketWire.writeText(out, "{\"login\":{\"uuid\":\"user-1\"}}");
                    }
                    WebSocketWire.writeClose(out, 1000, "done");
                    out.flush();
                    while (in.read() >= 0) {
                        // until the client hangs up
                    }
                } catch (IOException e) {
                    // a refused handshake or a client that went away; take the next one
                }
            }
        }, "wss-test-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return "wss://127.0.0.1:" + server.getLocalPort() + "/stream";
    }

    private static List<SourceRecord> read(String url, Map<String, String> tls) throws Exception {
        Map<String, String> keys = new HashMap<>(tls);
        keys.putAll(Map.of("source.type", "websocket", "source.url", url, "source.records_path", "",
                "source.position_path", "@frame_index", "source.reconnect_min", "10ms", "source.reconnect_max", "50ms"));
        try (SourceHarness harness = new SourceHarness(TestConfigs.config(keys), new WebSocketSource()).start()) {
            return harness.collect(1, Duration.ofSeconds(20));
        }
    }

    @Test
    void anUntrustedCertificateStopsTheSourceWithOneSentence() throws Exception {
        String url = serve(TestCertificates.stores(dir, "ip:127.0.0.1")[0]);
        assertThatThrownBy(() -> read(url, Map.of())).isInstanceOf(ConnectionRefusedException.class)
                .hasMessage("The TLS certificate of the source at " + url + " is not trusted: point "
                        + "`source.tls.truststore.path` (now unset, so the JVM's own CAs) at a truststore holding the CA "
                        + "that signed it.");
    }

    @Test
    void aConfiguredTruststoreIsTrustedAndAForeignHostNameOnlyWithVerificationOff() throws Exception {
        Path[] stores = TestCertificates.stores(dir, "dns:api.example.org");
        String url = serve(stores[0]);
        Map<String, String> trust = Map.of("source.tls.truststore.path", stores[1].toString(),
                "source.tls.truststore.password", TestCertificates.STORE_PASSWORD);
        assertThatThrownBy(() -> read(url, trust)).isInstanceOf(ConnectionRefusedException.class)
                .hasMessageContaining("is not issued for that host name");
        Map<String, String> lax = new HashMap<>(trust);
        lax.put("source.tls.verify_hostname", "false");
        assertThat(read(url, lax)).as("with verify_hostname off, the CA check alone decides")
                .extracting(SourceRecord::key).containsExactly("user-1");
    }
}
