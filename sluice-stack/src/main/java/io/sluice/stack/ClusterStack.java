package io.sluice.stack;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.sluice.stack.spark.SparkStandalone;
import org.apache.kafka.common.Uuid;

/**
 * Three Kafka brokers and a ring of three Cassandra nodes on one machine, each node a real server in its own JVM under
 * one data dir:
 *
 * <pre>
 * &lt;dataDir&gt;/kafka-{1,2,3}/{data/, server.properties, kafka.log, kafka.pid}          127.0.0.1:9092, :9192, :9292
 * &lt;dataDir&gt;/cassandra-{1,2,3}/{data/, cassandra.yaml, cassandra.log, cassandra.pid}  127.0.0.{1,2,3}:9042
 * </pre>
 *
 * <p>Kafka: KRaft nodes that are broker and controller at once, one cluster id, {@code node.id} 1..3, a static
 * {@code controller.quorum.voters} list. Their internal topics have replication factor 3, so all three start together
 * (a quorum needs two voters; the offsets topic needs three brokers). Cassandra: nodes on 127.0.0.1, .2 and .3 with the
 * same ports, each its own JMX port, seed 127.0.0.1; started one after another, because a node that joins while another
 * is still joining is refused ("Other bootstrapping/leaving/moving nodes detected"). Kafka and Cassandra start at the
 * same time.
 *
 * <p>{@link #kill(String)} and {@link #restart(String)} act on one node by its name ({@code kafka-2},
 * {@code cassandra-3}), for fault drills. {@link #down()} needs nothing but the data dir. More servers (a Spark master
 * and workers) join the same lifecycle through {@link #withAddedServer}.
 */
public final class ClusterStack implements AutoCloseable {

    public static final int NODES = 3;
    /** Measured on a 2-core, 24 GB machine that also runs a Spark master, two workers and a driver: see the docs. */
    public static final String KAFKA_HEAP = "384m";
    public static final String CASSANDRA_HEAP = "512m";
    public static final int DEFAULT_KAFKA_PORT = KafkaServer.DEFAULT_PORT;
    public static final int DEFAULT_JMX_PORT = 7100;
    /** Node i (from 1) of a kind uses the first node's port + (i - 1) * this: 9092, 9192, 9292; JMX 7100, 7200, 7300. */
    public static final int PORT_STEP = 100;
    private static final Duration FORMING_TIMEOUT = Duration.ofSeconds(90);

    private final List<KafkaServer> kafkaNodes = new ArrayList<>();
    private final List<CassandraServer> cassandraNodes = new ArrayList<>();
    private final List<LocalServer<?>> addedServers = new ArrayList<>();
    private SparkStandalone spark;
    private Path dataDir = LocalStack.DEFAULT_DATA_DIR;
    private LaunchMode mode = LaunchMode.ATTACHED;

    public ClusterStack() {
        for (int i = 1; i <= NODES; i++) {
            kafkaNodes.add(new KafkaServer("kafka-" + i).withNodeId(i).withHeap(KAFKA_HEAP)
                    // Three brokers: Kafka's own topics get the replication they were designed for.
                    .withProperty("offsets.topic.replication.factor", "3")
                    .withProperty("transaction.state.log.replication.factor", "3")
                    .withProperty("transaction.state.log.min.isr", "2")
                    .withProperty("share.coordinator.state.topic.replication.factor", "3")
                    .withProperty("share.coordinator.state.topic.min.isr", "2")
                    .withProperty("default.replication.factor", "3"));
            cassandraNodes.add(new CassandraServer("cassandra-" + i).withAddress("127.0.0." + i).withHeap(CASSANDRA_HEAP)
                    // Fewer threads and a bounded direct-memory pool: three nodes share two cores with Kafka and Spark.
                    .withSetting("concurrent_reads", "8")
                    .withSetting("concurrent_writes", "8")
                    .withSetting("concurrent_counter_writes", "4")
                    .withSetting("native_transport_max_threads", "32")
                    .withSetting("memtable_flush_writers", "1")
                    // A new, empty ring: nothing to stream, so no node bootstraps. A node that bootstraps while the
                    // previous one is still joining exits ("Other bootstrapping/leaving/moving nodes detected").
                    .withSetting("auto_bootstrap", "false"));
        }
        withKafkaPorts(DEFAULT_KAFKA_PORT);
        withCassandraPorts(CassandraServer.DEFAULT_PORT, CassandraServer.DEFAULT_STORAGE_PORT);
        withJmxPorts(DEFAULT_JMX_PORT);
    }

    // ---- configuration ------------------------------------------------------------------------------

    public ClusterStack withDataDir(Path dataDir) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        allServers().forEach(server -> server.withDataDir(dataDir));
        if (spark != null) {
            spark.withDataDir(dataDir);
        }
        return this;
    }

    public ClusterStack withMode(LaunchMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        allServers().forEach(server -> server.withMode(mode));
        return this;
    }

    /** Broker i listens on {@code firstBrokerPort + (i-1) * 100}, its controller one port above. */
    public ClusterStack withKafkaPorts(int firstBrokerPort) {
        int[] brokers = IntStream.range(0, NODES).map(i -> firstBrokerPort + i * PORT_STEP).toArray();
        return withKafkaPorts(brokers, IntStream.of(brokers).map(p -> p + 1).toArray());
    }

    /** Each broker's client port and KRaft controller port, node 1 first (tests pick free ports). */
    public ClusterStack withKafkaPorts(int[] brokerPorts, int[] controllerPorts) {
        requireOnePerNode(brokerPorts, "broker ports");
        requireOnePerNode(controllerPorts, "controller ports");
        String voters = IntStream.range(0, NODES)
                .mapToObj(i -> (i + 1) + "@" + Ports.LOOPBACK + ":" + controllerPorts[i])
                .collect(Collectors.joining(","));
        for (int i = 0; i < NODES; i++) {
            kafkaNodes.get(i).withPort(brokerPorts[i]).withControllerPort(controllerPorts[i]).withQuorumVoters(voters);
        }
        return this;
    }

    /** The CQL and internode ports, the same on every node (nodes differ by address); the seed is node 1. */
    public ClusterStack withCassandraPorts(int nativePort, int storagePort) {
        for (CassandraServer node : cassandraNodes) {
            node.withPort(nativePort).withStoragePort(storagePort).withSeeds(cassandraNodes.get(0).host() + ":" + storagePort);
        }
        return this;
    }

    /** Node i's JMX port is {@code firstJmxPort + (i-1) * 100}; JMX binds 127.0.0.1 for every node, hence one each. */
    public ClusterStack withJmxPorts(int firstJmxPort) {
        return withJmxPorts(IntStream.range(0, NODES).map(i -> firstJmxPort + i * PORT_STEP).toArray());
    }

    /**
     * Each Cassandra node's JMX port, node 1 first. Tests pick each one free: a first port plus steps of 100 can land
     * on a port picked for another server.
     */
    public ClusterStack withJmxPorts(int[] jmxPorts) {
        requireOnePerNode(jmxPorts, "JMX ports");
        for (int i = 0; i < NODES; i++) {
            cassandraNodes.get(i).withJmxPort(jmxPorts[i]);
        }
        return this;
    }

    public ClusterStack withKafkaHeap(String heap) {
        kafkaNodes.forEach(node -> node.withHeap(heap));
        return this;
    }

    public ClusterStack withCassandraHeap(String heap) {
        cassandraNodes.forEach(node -> node.withHeap(heap));
        return this;
    }

    public ClusterStack withSluiceHome(SluiceHome home) {
        allServers().forEach(server -> server.withSluiceHome(home));
        return this;
    }

    /**
     * Another server of the stack (a Spark master, a worker): launched after Kafka and Cassandra are ready, in the
     * order added, each ready before the next; listed by {@link #nodes()}, stopped by {@link #down()} and reachable by
     * {@link #kill} and {@link #restart} under its {@link LocalServer#name()}. Add it in every JVM that manages the
     * stack (also the one that runs {@code sluice down}), with the same data dir.
     */
    public ClusterStack withAddedServer(LocalServer<?> server) {
        addedServers.add(server.withDataDir(dataDir).withMode(mode));
        return this;
    }

    /**
     * A Spark standalone master and its workers join the stack: started after Kafka and Cassandra, the master first,
     * and listed, killed and restarted like any node ({@code spark-master}, {@code spark-worker-1}, ...).
     */
    public ClusterStack withSpark(SparkStandalone spark) {
        this.spark = spark.withDataDir(dataDir).withMode(mode);
        withAddedServer(spark.master());
        spark.workers().forEach(this::withAddedServer);
        return this;
    }

    /** The Spark cluster added by {@link #withSpark}; empty without one. */
    public java.util.Optional<SparkStandalone> spark() {
        return java.util.Optional.ofNullable(spark);
    }

    // ---- connection details -------------------------------------------------------------------------

    public List<KafkaServer> kafkaNodes() {
        return List.copyOf(kafkaNodes);
    }

    public List<CassandraServer> cassandraNodes() {
        return List.copyOf(cassandraNodes);
    }

    /** {@code 127.0.0.1:9092,127.0.0.1:9192,127.0.0.1:9292}, for {@code kafka.bootstrap_servers}. */
    public String kafkaBootstrap() {
        return kafkaNodes.stream().map(KafkaServer::bootstrapServers).collect(Collectors.joining(","));
    }

    /** {@code 127.0.0.1:9042,127.0.0.2:9042,127.0.0.3:9042}, for {@code cassandra.contact_points}. */
    public String cassandraContactPoints() {
        return cassandraNodes.stream().map(CassandraServer::address).collect(Collectors.joining(","));
    }

    public List<InetSocketAddress> cassandraContactPointList() {
        return cassandraNodes.stream().map(CassandraServer::contactPoint).toList();
    }

    public String localDatacenter() {
        return CassandraServer.LOCAL_DATACENTER;
    }

    public Path dataDir() {
        return dataDir;
    }

    public LaunchMode mode() {
        return mode;
    }

    /** True when the data dir holds (or held) a cluster stack: {@code sluice status} and {@code down} look for it. */
    public static boolean existsIn(Path dataDir) {
        return IntStream.rangeClosed(1, NODES).anyMatch(i -> Files.isDirectory(dataDir.resolve("kafka-" + i))
                || Files.isDirectory(dataDir.resolve("cassandra-" + i)));
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    /**
     * Starts every node and returns when each answers a real query, the three brokers see each other and the
     * three Cassandra nodes are up in one ring. Every pid file and port is checked before anything is launched; if a
     * node fails, whatever was launched is stopped again and the failure is thrown.
     */
    public ClusterStack start() {
        List<LocalServer<?>> all = allServers();
        ServerGroup.checkNoSharedPorts(all);
        all.forEach(LocalServer::checkCanStart);
        String clusterId = clusterId();
        kafkaNodes.forEach(node -> node.withClusterId(clusterId));
        List<LocalServer<?>> launched = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            // In parallel: each first launch formats its storage in a JVM of its own (seconds each on two cores).
            ServerGroup.join(kafkaNodes.stream().map(node -> CompletableFuture.runAsync(() -> {
                node.launch();
                launched.add(node);
            })).toList());
            // The brokers form their quorum while the Cassandra nodes join one by one.
            CompletableFuture<Void> kafkaReady = CompletableFuture.runAsync(() -> {
                ServerGroup.awaitAll(kafkaNodes);
                ClusterHealth.awaitKafkaBrokers(kafkaBootstrap(), NODES, FORMING_TIMEOUT);
            });
            for (CassandraServer node : cassandraNodes) {
                node.launch();
                launched.add(node);
                node.awaitReady();
            }
            ClusterHealth.awaitCassandraNodesUp(cassandraContactPointList(), localDatacenter(), NODES, FORMING_TIMEOUT);
            ServerGroup.join(List.of(kafkaReady));
            for (LocalServer<?> server : addedServers) {
                server.launch();
                launched.add(server);
                server.awaitReady();
            }
            return this;
        } catch (RuntimeException e) {
            List.copyOf(launched).forEach(server -> ServerGroup.stopQuietly(server, e));
            throw e;
        }
    }

    /** Stops every node in parallel (SIGTERM, then SIGKILL after each one's stop timeout). */
    public List<StopOutcome> stop() {
        List<StopOutcome> outcomes = new ArrayList<>(ServerGroup.stopAll(addedServers));
        outcomes.addAll(ServerGroup.stopAll(nodesOfKafkaAndCassandra()));
        return outcomes;
    }

    /** Stops whatever the pid files under the data dir point at; works from a fresh JVM. */
    public List<StopOutcome> down() {
        return stop();
    }

    /** Every node with a real query each: what {@code sluice status} prints. */
    public List<ServerStatus> status() {
        return ServerGroup.join(allServers().stream()
                .map(server -> CompletableFuture.supplyAsync(server::status)).toList());
    }

    /** Every node without querying it: name, address, pid and whether its process is alive. */
    public List<ClusterNode> nodes() {
        return allServers().stream().map(ClusterNode::of).toList();
    }

    /** SIGKILL of one node's process, e.g. {@code kill("kafka-2")}; its data stays for {@link #restart}. */
    public StopOutcome kill(String node) {
        return server(node).kill();
    }

    /** Starts one node again on its existing data and waits until it answers a real query. */
    public void restart(String node) {
        LocalServer<?> server = server(node);
        server.checkCanStart();
        server.launch();
        server.awaitReady();
    }

    /** The node of that name; the message lists the names there are. */
    public LocalServer<?> server(String node) {
        return allServers().stream().filter(server -> server.name().equals(node)).findFirst()
                .orElseThrow(() -> new StackException("There is no node called `" + node + "` in this stack; its nodes are "
                        + allServers().stream().map(LocalServer::name).collect(Collectors.joining(", ")) + "."));
    }

    /** Stops attached nodes; detached ones keep running (that is what detached means). */
    @Override
    public void close() {
        if (mode == LaunchMode.ATTACHED) {
            stop();
        }
    }

    // ---- internals ----------------------------------------------------------------------------------

    /** The id the first start formats every broker with; a node formatted earlier keeps its own. */
    private String clusterId() {
        return kafkaNodes.stream().map(KafkaServer::formattedClusterId).flatMap(java.util.Optional::stream)
                .findFirst().orElseGet(() -> Uuid.randomUuid().toString());
    }

    private List<LocalServer<?>> nodesOfKafkaAndCassandra() {
        List<LocalServer<?>> servers = new ArrayList<>(kafkaNodes);
        servers.addAll(cassandraNodes);
        return servers;
    }

    private List<LocalServer<?>> allServers() {
        List<LocalServer<?>> servers = nodesOfKafkaAndCassandra();
        servers.addAll(addedServers);
        return servers;
    }

    private static void requireOnePerNode(int[] ports, String what) {
        if (ports.length != NODES) {
            throw new IllegalArgumentException("The cluster has " + NODES + " nodes: give " + NODES + " " + what + ", got "
                    + ports.length);
        }
    }
}
