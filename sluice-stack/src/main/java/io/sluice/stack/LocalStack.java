package io.sluice.stack;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka and Cassandra under one data dir (default {@code ./.sluice/}):
 *
 * <pre>
 * &lt;dataDir&gt;/kafka/{data/, server.properties, kafka.log, kafka.pid}
 * &lt;dataDir&gt;/cassandra/{data/, cassandra.yaml, cassandra.log, cassandra.pid}
 * </pre>
 *
 * {@link #start()} checks both servers before launching either (a taken Cassandra port must not leave a
 * Kafka behind), launches both, then waits for both. {@link #down()} needs nothing but the data dir, so
 * a fresh JVM ({@code sluice down}) stops servers that {@code sluice up} left running.
 */
public final class LocalStack implements AutoCloseable {

    public static final Path DEFAULT_DATA_DIR = Path.of(".sluice");

    private final KafkaServer kafka = new KafkaServer();
    private final CassandraServer cassandra = new CassandraServer();
    private Path dataDir = DEFAULT_DATA_DIR;
    private LaunchMode mode = LaunchMode.ATTACHED;
    private boolean secure;

    public LocalStack withDataDir(Path dataDir) {
        this.dataDir = dataDir;
        kafka.withDataDir(dataDir);
        cassandra.withDataDir(dataDir);
        return this;
    }

    /**
     * Kafka with SASL_SSL/SCRAM and Cassandra with PasswordAuthenticator and TLS, certificates and credentials under
     * {@code <dataDir>/secure/} ({@link StackSecurity}). A data dir that was secured once is always started secured.
     */
    public LocalStack withSecurity(boolean secure) {
        this.secure = secure;
        return this;
    }

    /** True when {@link #withSecurity} asked for it or the data dir already holds a secured stack. */
    public boolean secured() {
        return secure || StackSecurity.isSecured(dataDir);
    }

    /** The secured stack's certificates and credentials; only meaningful when {@link #secured()}. */
    public StackSecurity security() {
        return new StackSecurity(dataDir);
    }

    public LocalStack withMode(LaunchMode mode) {
        this.mode = mode;
        kafka.withMode(mode);
        cassandra.withMode(mode);
        return this;
    }

    public LocalStack withKafkaPort(int port) {
        kafka.withPort(port);
        return this;
    }

    public LocalStack withKafkaControllerPort(int port) {
        kafka.withControllerPort(port);
        return this;
    }

    public LocalStack withCassandraPort(int port) {
        cassandra.withPort(port);
        return this;
    }

    public LocalStack withCassandraStoragePort(int port) {
        cassandra.withStoragePort(port);
        return this;
    }

    public LocalStack withSluiceHome(SluiceHome home) {
        kafka.withSluiceHome(home);
        cassandra.withSluiceHome(home);
        return this;
    }

    /** The Kafka server, for finer settings ({@code stack.kafka().withHeap("1g")}). */
    public KafkaServer kafka() {
        return kafka;
    }

    public CassandraServer cassandra() {
        return cassandra;
    }

    public Path dataDir() {
        return dataDir;
    }

    public LaunchMode mode() {
        return mode;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public InetSocketAddress contactPoint() {
        return cassandra.contactPoint();
    }

    public String localDatacenter() {
        return cassandra.localDatacenter();
    }

    /**
     * Starts both servers and returns when both answer real queries. If either fails, whatever was
     * launched is stopped again and the failure is thrown.
     */
    public LocalStack start() {
        applySecurity();
        checkNoSharedPorts();
        kafka.checkCanStart();
        cassandra.checkCanStart();
        List<LocalServer<?>> launched = new ArrayList<>();
        try {
            for (LocalServer<?> server : servers()) {
                server.launch();
                launched.add(server);
            }
            // Wait in parallel: Kafka is ready in seconds, Cassandra takes longer; neither waits for the other.
            ServerGroup.awaitAll(launched);
            return this;
        } catch (RuntimeException e) {
            launched.forEach(server -> ServerGroup.stopQuietly(server, e));
            throw e;
        }
    }

    /** Stops both servers (SIGTERM, then SIGKILL after their stop timeout), in parallel. */
    public List<StopOutcome> stop() {
        return ServerGroup.stopAll(servers());
    }

    /** Stops whatever the pid files under the data dir point at; the same as {@link #stop()}, named for the CLI. */
    public List<StopOutcome> down() {
        return stop();
    }

    public List<ServerStatus> status() {
        applySecurity();
        return servers().stream().map(LocalServer::status).toList();
    }

    /** Stops attached servers; detached ones keep running (that is what detached means). */
    @Override
    public void close() {
        if (mode == LaunchMode.ATTACHED) {
            stop();
        }
    }

    private void applySecurity() {
        if (secured()) {
            StackSecurity security = security().ensure();
            kafka.withSecurity(security);
            cassandra.withSecurity(security);
        }
    }

    private List<LocalServer<?>> servers() {
        return List.of(kafka, cassandra);
    }

    private void checkNoSharedPorts() {
        ServerGroup.checkNoSharedPorts(servers());
    }
}
