package io.sluice.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka 4.1 broker in KRaft mode (broker and controller in one JVM) on 127.0.0.1.
 *
 * <pre>{@code
 * try (KafkaServer kafka = new KafkaServer().withDataDir(dir).withPort(19092).start()) {
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * Files: {@code <dataDir>/kafka/{data/, server.properties, log4j2.properties, kafka.log, kafka.pid}}.
 * Storage is formatted only on the first start, so a restart keeps all topics and records.
 */
public final class KafkaServer extends LocalServer<KafkaServer> {

    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    static final String MAIN_CLASS = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);

    private int port = DEFAULT_PORT;
    private int controllerPort = DEFAULT_CONTROLLER_PORT;
    private int nodeId = 1;
    private String quorumVoters;
    private String clusterId;
    private boolean autoCreateTopics = false;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private StackSecurity security;

    public KafkaServer() {
        super("Kafka", "kafka", Duration.ofSeconds(90));
    }

    /**
     * One node of a multi-broker cluster, named e.g. {@code kafka-2}: everything lives in {@code <dataDir>/kafka-2/}.
     * Give it {@link #withNodeId}, {@link #withQuorumVoters} and {@link #withClusterId} (see {@link ClusterStack}).
     */
    public KafkaServer(String nodeName) {
        super(nodeName, nodeName, "kafka", Duration.ofSeconds(90));
    }

    /** Port of the broker listener that clients use. */
    public KafkaServer withPort(int port) {
        this.port = validPort(port, "broker port");
        return this;
    }

    /** Port of the KRaft controller listener (internal, but it must be free too). */
    public KafkaServer withControllerPort(int port) {
        this.controllerPort = validPort(port, "controller port");
        return this;
    }

    /** KRaft {@code node.id}; 1 by default (a single node). */
    public KafkaServer withNodeId(int nodeId) {
        if (nodeId < 0) {
            throw new IllegalArgumentException("Kafka node.id must be 0 or more, got " + nodeId);
        }
        this.nodeId = nodeId;
        return this;
    }

    /**
     * The static {@code controller.quorum.voters} every node of the cluster shares, e.g.
     * {@code 1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293}. Unset: this node alone.
     */
    public KafkaServer withQuorumVoters(String voters) {
        this.quorumVoters = voters;
        return this;
    }

    /**
     * The cluster id the storage is formatted with, the same on every node of a cluster; only used on the first start
     * (an already formatted storage keeps its own). Unset: a random one.
     */
    public KafkaServer withClusterId(String clusterId) {
        this.clusterId = clusterId;
        return this;
    }

    public KafkaServer withAutoCreateTopics(boolean enabled) {
        this.autoCreateTopics = enabled;
        return this;
    }

    /** SASL_SSL with SCRAM users and the stack's certificate instead of PLAINTEXT; see {@link StackSecurity}. */
    public KafkaServer withSecurity(StackSecurity security) {
        this.security = security;
        return this;
    }

    /** Any broker setting, written last into server.properties so it wins over Sluice's defaults. */
    public KafkaServer withProperty(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    @Override
    public String address() {
        return bootstrapServers();
    }

    public Path configFile() {
        return directory().resolve("server.properties");
    }

    /** Kafka's log dirs (topic data and KRaft metadata). */
    public Path storageDirectory() {
        return directory().resolve("data");
    }

    /** The exact server.properties this server starts with. */
    public String serverProperties() {
        Map<String, String> properties = KafkaServerProperties.defaults(port, controllerPort, storageDirectory(), autoCreateTopics);
        properties.put("node.id", String.valueOf(nodeId));
        properties.put("controller.quorum.voters", quorumVoters != null ? quorumVoters : nodeId + "@127.0.0.1:" + controllerPort);
        if (security != null) {
            properties.putAll(KafkaServerProperties.secured(port, controllerPort, security));
        }
        properties.putAll(overrides);
        return KafkaServerProperties.render(properties);
    }

    @Override
    protected Optional<String> addressFromConfigFile() {
        try (var reader = Files.newBufferedReader(configFile())) {
            Properties written = new Properties();
            written.load(reader);
            return Optional.ofNullable(written.getProperty("advertised.listeners"))
                    .map(listeners -> listeners.replaceFirst("^[A-Z_]+://", "").split(",")[0]);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    protected List<PortUse> ports() {
        if (port == controllerPort) {
            throw new StackException("Kafka's broker port and controller port are both " + port + "; give them different ports.");
        }
        return List.of(new PortUse(port, "broker listener"), new PortUse(controllerPort, "KRaft controller listener"));
    }

    @Override
    protected void prepare(String classpath) {
        createDirectories(storageDirectory());
        if (security != null) {
            security.ensure();
        }
        writePrivateFile(configFile(), serverProperties()); // holds the keystore password when secured
        writeFile(directory().resolve("log4j2.properties"), LOG4J2_CONFIG);
        if (!isFormatted()) {
            formatStorage(classpath);
        }
    }

    @Override
    protected String mainClass() {
        return MAIN_CLASS;
    }

    @Override
    protected List<String> jvmOptions() {
        return List.of(
                "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
                "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + directory().resolve("log4j2.properties").toUri());
    }

    @Override
    protected List<String> mainArgs() {
        return List.of(configFile().toString());
    }

    @Override
    protected String readinessQuery() {
        return "an AdminClient describeCluster + listTopics on " + bootstrapServers();
    }

    @Override
    protected boolean probe(Duration timeout) {
        if (!Ports.isAccepting(port, (int) Math.min(timeout.toMillis(), 1000))) {
            return false; // spares the AdminClient its connection-refused warnings while the JVM boots
        }
        Properties props = new Properties();
        if (security != null) {
            props.putAll(security.kafkaAdminProperties());
        }
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-stack-readiness");
        try (Admin admin = Admin.create(props)) {
            boolean hasBroker = !admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
            admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (hasBroker && security != null) {
                ensureClientUser(admin, timeout);
            }
            return hasBroker;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The client user is made through the Admin API, not at format time, so its password never appears on a command
     * line; an upsert, so a restart (or a status check) leaves it as it is.
     */
    private void ensureClientUser(Admin admin, Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(StackSecurity.CLIENT_USER,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), security.credential("kafka.sasl.password"))))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kafka writes meta.properties into the log dir when formatting; its presence means "keep the data". */
    boolean isFormatted() {
        return Files.exists(storageDirectory().resolve("meta.properties"));
    }

    /** The cluster id this node's storage was formatted with, if it was. */
    public Optional<String> formattedClusterId() {
        try (var reader = Files.newBufferedReader(storageDirectory().resolve("meta.properties"))) {
            Properties meta = new Properties();
            meta.load(reader);
            return Optional.ofNullable(meta.getProperty("cluster.id"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void formatStorage(String classpath) {
        // Same as `kafka-storage.sh random-uuid`: StorageTool prints Uuid.randomUuid(). Doing it here
        // saves a JVM start.
        String clusterId = this.clusterId != null ? this.clusterId : Uuid.randomUuid().toString();
        long offset = appendToLog("---- sluice: formatting Kafka storage in " + storageDirectory() + " (cluster id " + clusterId + ")\n");
        List<String> command = new java.util.ArrayList<>(List.of(javaExecutable(), "-Xmx256m",
                "-Dlog4j2.configurationFile=" + directory().resolve("log4j2.properties").toUri(),
                "-cp", classpath, STORAGE_TOOL, "format", "-t", clusterId, "-c", configFile().toString()));
        if (security != null) {
            // The broker's own user must exist before it starts (it authenticates to itself); StorageTool only
            // takes it as an argument. The client user is added later through the Admin API.
            command.addAll(List.of("--add-scram", StackSecurity.KAFKA_MECHANISM + "=[name=" + StackSecurity.KAFKA_ADMIN_USER
                    + ",password=" + security.serverSecret("kafka.broker.password") + "]"));
        }
        try {
            Process format = new ProcessBuilder(command)
                    .directory(directory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
            if (!format.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw formatFailure("formatting the storage did not finish within " + FORMAT_TIMEOUT.toSeconds() + " s.", offset);
            }
            if (format.exitValue() != 0) {
                throw formatFailure("formatting the storage failed with exit code " + format.exitValue() + ".", offset);
            }
        } catch (IOException e) {
            throw new StackException("Could not run Kafka's StorageTool: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while formatting Kafka storage", e);
        }
    }

    private ServerStartException formatFailure(String what, long offset) {
        return new ServerStartException(name(), what, logFile(), LogTail.read(logFile(), offset, LogTail.DEFAULT_LINES));
    }

    static int validPort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be between 1 and 65535, got " + port);
        }
        return port;
    }

    /** Everything to stdout, which the launcher sends to kafka.log. */
    private static final String LOG4J2_CONFIG = """
            # Written by Sluice. Kafka's stdout goes to kafka.log.
            status = warn
            appender.stdout.type = Console
            appender.stdout.name = STDOUT
            appender.stdout.layout.type = PatternLayout
            appender.stdout.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = INFO
            rootLogger.appenderRef.stdout.ref = STDOUT
            logger.stateChange.name = state.change.logger
            logger.stateChange.level = WARN
            logger.request.name = kafka.request.logger
            logger.request.level = WARN
            """;
}
