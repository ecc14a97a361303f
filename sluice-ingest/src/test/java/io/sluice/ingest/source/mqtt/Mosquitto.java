package io.sluice.ingest.source.mqtt;

import io.sluice.stack.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for ITs: its own process on a free 127.0.0.1 port, persistence in a temp dir, anonymous
 * clients allowed. {@link #restart} stops it with SIGTERM (Mosquitto then saves sessions and queued messages) and
 * starts it again on the same port and data.
 */
public final class Mosquitto implements AutoCloseable {
    private static final List<String> PLACES = List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto",
            "/usr/local/bin/mosquitto", "/opt/homebrew/sbin/mosquitto");

    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    public Mosquitto(Path binary, Path dir) throws IOException {
        this.binary = binary;
        this.dir = dir;
        this.port = Ports.findFree();
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence true",
                "persistence_location " + dir.toAbsolutePath() + "/",
                // Mosquitto keeps at most 1,000 QoS 1 messages per offline or busy session by default and silently drops
                // the rest ("Outgoing messages are being dropped"): a broker limit no client can undo, so raise it.
                "max_queued_messages 100000",
                "user " + System.getProperty("user.name"), // as root, mosquitto would otherwise switch to user 'mosquitto'
                "log_dest file " + dir.resolve("mosquitto.log").toAbsolutePath(),
                ""));
    }

    /** The mosquitto binary, from PATH or the usual install places; empty if it is not installed. */
    public static Optional<Path> findBinary() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, "mosquitto");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return PLACES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public Mosquitto start() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + "; see " + dir);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on port " + port + " within 20 s; see " + dir);
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: mosquitto writes its persistence file on the way out
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
