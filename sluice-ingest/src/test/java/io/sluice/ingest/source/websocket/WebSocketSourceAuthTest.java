package io.sluice.ingest.source.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.push.SourceHarness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The WebSocket source sends its credentials on the upgrade request, and a 401 to a static token is final. */
class WebSocketSourceAuthTest {
    private static final String TOKEN = "ws-Bearer-Token-2f7";

    @Test
    void theUpgradeCarriesTheCredentialsAndA401StopsTheSourceWithOneSentence() throws Exception {
        List<List<String>> handshakes = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread refuser = new Thread(() -> refuseAll(server, handshakes), "ws-401");
            refuser.setDaemon(true);
            refuser.start();
            String url = "ws://127.0.0.1:" + server.getLocalPort() + "/stream";
            WebSocketSource source = new WebSocketSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(Map.of("source.type", "websocket",
                    "source.url", url, "source.headers.X-Tenant", "acme", "source.auth.type", "bearer",
                    "source.auth.token", TOKEN)), source).start()) {
                assertThatThrownBy(() -> harness.collect(1, Duration.ofSeconds(20)))
                        .isInstanceOf(ConnectionRefusedException.class)
                        .hasMessage("The API at " + url + " refused the bearer token (HTTP 401): fix `source.auth.token`.");
            }
            assertThat(handshakes).as("a static token is refused once: no reconnect loop").hasSize(1);
            assertThat(handshakes.get(0)).as("the upgrade request carries the token and the static headers")
                    .contains("Authorization: Bearer " + TOKEN, "X-Tenant: acme");
        }
    }

    private static void refuseAll(ServerSocket server, List<List<String>> handshakes) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                List<String> lines = new ArrayList<>();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    lines.add(line);
                }
                handshakes.add(lines);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException e) {
                return;
            }
        }
    }
}
