package io.sluice.stack.spark;

import io.sluice.stack.LocalServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A Spark standalone daemon ({@link SparkMaster master} or {@link SparkWorker worker}) on 127.0.0.1, run from the
 * {@code sluice-servers/spark} classpath in {@code <dataDir>/<name>/} with the data dir's shared {@link SparkHome}. It
 * binds a port and a web UI port, records both (and whatever the daemon adds) in {@code <role>.properties}, and starts
 * with {@code --host 127.0.0.1 --port <port> --webui-port <webUiPort>} followed by the daemon's own arguments.
 *
 * @param <SELF> the concrete daemon, so fluent setters return it
 */
public abstract class SparkDaemon<SELF extends SparkDaemon<SELF>> extends LocalServer<SELF> {
    static final String CLASSPATH_MODULE = "spark";
    static final String HOST = "127.0.0.1";
    /**
     * Generous on purpose: a worker restarted under load (ClusterIT's, beside three Kafka and three Cassandra nodes and
     * a stream job catching up, on 2 cores) took 55 s to bring up its UI and register; 60 s failed CI once.
     */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final String DAEMON_HEAP = "256m";

    private final String role;
    private int port;
    private int webUiPort;

    /**
     * @param name the server's name and its directory under the data dir, e.g. {@code spark-worker-1}
     * @param role {@code master} or {@code worker}: names its ports in messages and its config file
     */
    SparkDaemon(String name, String role, int port, int webUiPort) {
        super(name, name, CLASSPATH_MODULE, STARTUP_TIMEOUT);
        this.role = role;
        this.port = port;
        this.webUiPort = webUiPort;
        withHeap(DAEMON_HEAP);
    }

    /** The daemon's own port: where applications and workers connect to a master, where the master reaches a worker. */
    public SELF withPort(int port) {
        this.port = port;
        return self();
    }

    public SELF withWebUiPort(int port) {
        this.webUiPort = port;
        return self();
    }

    public int port() {
        return port;
    }

    public int webUiPort() {
        return webUiPort;
    }

    public String webUiUrl() {
        return "http://" + HOST + ":" + webUiPort + "/";
    }

    /** The Spark home of this data dir ({@code <dataDir>/spark-home}), shared by the master and the workers. */
    public SparkHome sparkHome() {
        return SparkStandalone.sparkHome(directory().getParent());
    }

    @Override
    public String address() {
        return addressFor(Integer.toString(port));
    }

    /** Where clients connect to a daemon on {@code port}, e.g. {@code spark://127.0.0.1:7077}. */
    abstract String addressFor(String port);

    /** {@code <dir>/master.properties} or {@code <dir>/worker.properties}: how this daemon was started. */
    Path configFile() {
        return directory().resolve(role + ".properties");
    }

    /** The config file's first line, after {@code # Written by Sluice: }. */
    abstract String configComment();

    /** What the config file records beyond the ports, in order. */
    Map<String, String> moreConfig() {
        return Map.of();
    }

    /** Arguments of the daemon's main class after {@code --host}, {@code --port} and {@code --webui-port}. */
    List<String> daemonArgs() {
        return List.of();
    }

    @Override
    protected Optional<String> addressFromConfigFile() {
        return readProperties(configFile()).map(p -> addressFor(p.getProperty("port")));
    }

    @Override
    protected List<PortUse> ports() {
        return List.of(new PortUse(port, role + " port"), new PortUse(webUiPort, role + " web UI"));
    }

    @Override
    protected void prepare(String classpath) {
        sparkHome().ensure(classpath);
        writeFile(configFile(), configText());
    }

    String configText() {
        StringBuilder text = new StringBuilder("# Written by Sluice: ").append(configComment())
                .append("\nport=").append(port).append("\nwebUiPort=").append(webUiPort).append('\n');
        moreConfig().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    @Override
    protected Map<String, String> environment() {
        return sparkHome().environment();
    }

    @Override
    protected List<String> jvmOptions() {
        return List.of("-Djava.awt.headless=true");
    }

    @Override
    protected List<String> mainArgs() {
        List<String> args = new ArrayList<>(List.of("--host", HOST, "--port", Integer.toString(port), "--webui-port",
                Integer.toString(webUiPort)));
        args.addAll(daemonArgs());
        return List.copyOf(args);
    }

    static Optional<Properties> readProperties(Path file) {
        try (var reader = Files.newBufferedReader(file)) {
            Properties properties = new Properties();
            properties.load(reader);
            return Optional.of(properties);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
