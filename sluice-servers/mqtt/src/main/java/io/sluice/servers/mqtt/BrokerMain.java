package io.sluice.servers.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * A real HiveMQ CE broker (MQTT 3 and 5) for tests, as its own process: {@code BrokerMain <home dir>} reads
 * {@code <home>/conf/config.xml} and keeps sessions and queued messages in {@code <home>/data}.
 *
 * <p>HiveMQ publishes its broker to Maven Central only as the "embedded" artifact, which has no main class; this is
 * that main. It accepts every client without credentials (test use only), unless {@code <home>/conf/users.properties}
 * exists: then only the users it lists, with their passwords ({@link PasswordFileAuth}).
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BrokerMain <home dir with conf/config.xml>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("extensions"));
        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"));
        Path users = home.resolve("conf").resolve("users.properties");
        if (Files.isRegularFile(users)) {
            Properties credentials = new Properties();
            try (var reader = Files.newBufferedReader(users, StandardCharsets.UTF_8)) {
                credentials.load(reader);
            }
            builder.withEmbeddedExtension(PasswordFileAuth.extension(credentials));
        }
        EmbeddedHiveMQ broker = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: stop through HiveMQ, so it closes its persistence (sessions, queued QoS 1 messages) in order.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop().join();
            stopped.countDown();
        }, "broker-stop"));
        try {
            broker.start().join();
        } catch (CompletionException e) {
            // HiveMQ's own threads would keep a failed broker's JVM alive; the launcher must see it exit.
            System.err.println("HiveMQ did not start: " + e.getCause());
            Runtime.getRuntime().halt(1);
        }
        stopped.await();
    }
}
