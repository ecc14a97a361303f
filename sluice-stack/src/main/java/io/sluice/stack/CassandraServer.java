package io.sluice.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Cassandra 5.0 node on 127.0.0.1.
 *
 * <pre>{@code
 * try (CassandraServer cassandra = new CassandraServer().withDataDir(dir).withPort(19042).start()) {
 *     CqlSession.builder().addContactPoint(cassandra.contactPoint())
 *             .withLocalDatacenter(cassandra.localDatacenter()).build();
 * }
 * }</pre>
 *
 * Files: {@code <dataDir>/cassandra/{data/, cassandra.yaml, logback.xml, cassandra.log, cassandra.pid}}.
 * JMX is off unless {@link #withJmxPort(int)} is set, so two local stacks never fight over port 7199.
 */
public final class CassandraServer extends LocalServer<CassandraServer> {

    public static final int DEFAULT_PORT = 9042;
    public static final int DEFAULT_STORAGE_PORT = 7000;
    /** The data center name SimpleSnitch reports, needed by the Java driver's load balancer. */
    public static final String LOCAL_DATACENTER = "datacenter1";
    static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
    static final String READINESS_QUERY = "SELECT release_version FROM system.local";

    private static final Logger log = LoggerFactory.getLogger(CassandraServer.class);

    /** From Cassandra 5.0's conf/jvm17-server.options (JPMS section): what its code reaches into. */
    static final List<String> JDK17_OPTIONS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            // Netty settings from the same file
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    private String host = Ports.LOOPBACK;
    private String seeds;
    private int port = DEFAULT_PORT;
    private int storagePort = DEFAULT_STORAGE_PORT;
    private int jmxPort = 0;
    private String clusterName = "Sluice Local";
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private StackSecurity security;

    public CassandraServer() {
        super("Cassandra", "cassandra", Duration.ofSeconds(180));
    }

    /**
     * One node of a ring, named e.g. {@code cassandra-2}: everything lives in {@code <dataDir>/cassandra-2/}. Give it
     * its own {@link #withAddress}, {@link #withJmxPort} and the ring's {@link #withSeeds} (see {@link ClusterStack}).
     */
    public CassandraServer(String nodeName) {
        super(nodeName, nodeName, "cassandra", Duration.ofSeconds(180));
    }

    /**
     * The loopback address this node listens on for CQL and internode traffic (127.0.0.1 by default): nodes of one ring
     * on one machine share the ports and differ by address, as on real hosts.
     */
    public CassandraServer withAddress(String address) {
        if (address == null || !address.startsWith("127.")) {
            throw new IllegalArgumentException("A local Cassandra node listens on a loopback address (127.x.y.z), got " + address);
        }
        this.host = address;
        return this;
    }

    /** Comma-separated {@code host:storagePort} of the seed nodes; unset: this node seeds itself. */
    public CassandraServer withSeeds(String seeds) {
        this.seeds = seeds;
        return this;
    }

    /** Port of the CQL native protocol that clients use. */
    public CassandraServer withPort(int port) {
        this.port = KafkaServer.validPort(port, "native transport port");
        return this;
    }

    /** Port for internode messaging; a single node still binds it. */
    public CassandraServer withStoragePort(int port) {
        this.storagePort = KafkaServer.validPort(port, "storage port");
        return this;
    }

    /** Local JMX (for nodetool) on this port; 0, the default, leaves JMX off. */
    public CassandraServer withJmxPort(int port) {
        this.jmxPort = port == 0 ? 0 : KafkaServer.validPort(port, "JMX port");
        return this;
    }

    public CassandraServer withClusterName(String name) {
        this.clusterName = name;
        return this;
    }

    /** PasswordAuthenticator and client encryption with the stack's certificate; see {@link StackSecurity}. */
    public CassandraServer withSecurity(StackSecurity security) {
        this.security = security;
        return this;
    }

    /** Any cassandra.yaml setting, as YAML text (e.g. {@code withSetting("num_tokens", "4")}); wins over defaults. */
    public CassandraServer withSetting(String key, String yamlValue) {
        overrides.put(key, yamlValue);
        return this;
    }

    public int port() {
        return port;
    }

    public int storagePort() {
        return storagePort;
    }

    /** Where the Java driver connects: {@code 127.0.0.1:<port>} (or this node's own address). */
    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(host, port);
    }

    /** The address this node listens on. */
    public String host() {
        return host;
    }

    public int jmxPort() {
        return jmxPort;
    }

    public String localDatacenter() {
        return LOCAL_DATACENTER;
    }

    @Override
    public String address() {
        return host + ":" + port;
    }

    public Path configFile() {
        return directory().resolve("cassandra.yaml");
    }

    /** Data, commit log, hints and saved caches all live under here. */
    public Path storageDirectory() {
        return directory().resolve("data");
    }

    /** The exact cassandra.yaml this server starts with. */
    public String cassandraYaml() {
        Map<String, String> settings = CassandraYaml.defaults(clusterName, host, port, storagePort,
                seeds != null ? seeds : host + ":" + storagePort, storageDirectory());
        if (security != null) {
            settings.putAll(CassandraYaml.secured(security));
        }
        settings.putAll(overrides);
        return CassandraYaml.render(settings);
    }

    @Override
    protected Optional<String> addressFromConfigFile() {
        try (var lines = Files.lines(configFile())) {
            Map<String, String> written = new LinkedHashMap<>();
            lines.filter(line -> line.startsWith("native_transport_port:") || line.startsWith("rpc_address:"))
                    .forEach(line -> written.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip()));
            return Optional.ofNullable(written.get("native_transport_port"))
                    .map(p -> written.getOrDefault("rpc_address", Ports.LOOPBACK) + ":" + p);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    @Override
    protected List<PortUse> ports() {
        List<PortUse> uses = new ArrayList<>(List.of(
                new PortUse(host, port, "CQL native transport"), new PortUse(host, storagePort, "internode storage")));
        if (jmxPort != 0) {
            uses.add(new PortUse(jmxPort, "JMX")); // Cassandra's local JMX binds 127.0.0.1, whatever the node's address
        }
        if (uses.stream().map(PortUse::port).distinct().count() != uses.size()) {
            throw new StackException("Cassandra's ports must differ, got native " + port + ", storage " + storagePort
                    + (jmxPort != 0 ? ", JMX " + jmxPort : "") + ".");
        }
        return uses;
    }

    @Override
    protected void prepare(String classpath) {
        createDirectories(storageDirectory());
        createDirectories(directory().resolve("triggers"));
        if (security != null) {
            security.ensure();
        }
        writePrivateFile(configFile(), cassandraYaml()); // holds the keystore password when secured
        writeFile(directory().resolve("logback.xml"), LOGBACK_CONFIG);
    }

    @Override
    protected String mainClass() {
        return MAIN_CLASS;
    }

    @Override
    protected List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of(
                "-Xss256k", "-XX:+UseG1GC", "-XX:+ParallelRefProcEnabled", "-XX:MaxTenuringThreshold=1",
                "-XX:MaxGCPauseMillis=300", "-XX:+PerfDisableSharedMem", "-XX:+HeapDumpOnOutOfMemoryError",
                // Cassandra's advice: a node that ran out of heap may corrupt data if it carries on.
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + directory(),
                "-Djava.net.preferIPv4Stack=true"));
        options.addAll(JDK17_OPTIONS);
        options.addAll(List.of(
                "-Dcassandra-foreground=yes",
                "-Dcassandra.config=" + configFile().toUri(),
                "-Dcassandra.storagedir=" + storageDirectory(),
                "-Dcassandra.logdir=" + directory(),
                "-Dcassandra.triggers_dir=" + directory().resolve("triggers"),
                "-Dlogback.configurationFile=" + directory().resolve("logback.xml").toUri(),
                // A single seed node has nobody to gossip with: skip the waits meant for real clusters.
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.ring_delay_ms=1000",
                "-Dcassandra.superuser_setup_delay_ms=0"));
        if (jmxPort != 0) {
            options.add("-Dcassandra.jmx.local.port=" + jmxPort);
        }
        return options;
    }

    @Override
    protected List<String> mainArgs() {
        return List.of();
    }

    @Override
    protected String readinessQuery() {
        return "`" + READINESS_QUERY + "` on " + address();
    }

    @Override
    protected boolean probe(Duration timeout) {
        if (!Ports.isAccepting(host, port, (int) Math.min(timeout.toMillis(), 1000))) {
            return false; // the driver would log a warning for every refused connection while Cassandra boots
        }
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, timeout)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, timeout)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, timeout)
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
                // Readiness needs one query, not the whole schema and token map.
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
                .build();
        if (security != null) {
            return CassandraRoles.probeSecured(this, security, config);
        }
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(contactPoint())
                .withLocalDatacenter(LOCAL_DATACENTER)
                .withConfigLoader(config)
                // This node's answer only: in a ring the driver would also open pools to the peers (some may be down).
                .withNodeDistanceEvaluator((node, localDc) -> contactPoint().equals(node.getEndPoint().resolve())
                        ? null : com.datastax.oss.driver.api.core.loadbalancing.NodeDistance.IGNORED)
                .build()) {
            Row row = session.execute(READINESS_QUERY).one();
            return row != null && row.getString("release_version") != null;
        } catch (RuntimeException e) {
            log.debug("Cassandra not ready yet: {}", e.toString());
            return false;
        }
    }

    /** Everything to stdout (which the launcher sends to cassandra.log); no rolling files of our own. */
    private static final String LOGBACK_CONFIG = """
            <!-- Written by Sluice. Cassandra's stdout goes to cassandra.log. -->
            <configuration scan="false">
              <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder>
                  <pattern>%-5level [%thread] %date{ISO8601} %logger{1} - %msg%n</pattern>
                </encoder>
              </appender>
              <root level="INFO">
                <appender-ref ref="STDOUT"/>
              </root>
            </configuration>
            """;
}
