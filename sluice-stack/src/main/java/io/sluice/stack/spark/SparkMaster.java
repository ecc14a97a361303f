package io.sluice.stack.spark;

import io.sluice.stack.LocalServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A Spark standalone master ({@code org.apache.spark.deploy.master.Master}) on 127.0.0.1, in
 * {@code <dataDir>/spark-master/}. Ready when its web UI reports {@code "status" : "ALIVE"}.
 */
public final class SparkMaster extends LocalServer<SparkMaster> {
    public static final int DEFAULT_PORT = 7077;
    public static final int DEFAULT_WEB_UI_PORT = 8080;
    static final String MAIN_CLASS = "org.apache.spark.deploy.master.Master";
    static final String CLASSPATH_MODULE = "spark";

    private int port = DEFAULT_PORT;
    private int webUiPort = DEFAULT_WEB_UI_PORT;

    public SparkMaster() {
        super("spark-master", "spark-master", CLASSPATH_MODULE, Duration.ofSeconds(60));
        withHeap("256m");
    }

    /** Where applications and workers connect ({@code spark://127.0.0.1:<port>}). */
    public SparkMaster withPort(int port) {
        this.port = port;
        return this;
    }

    public SparkMaster withWebUiPort(int port) {
        this.webUiPort = port;
        return this;
    }

    public int port() {
        return port;
    }

    public int webUiPort() {
        return webUiPort;
    }

    /** {@code spark://127.0.0.1:<port>}, for {@code --master} or {@code stream.master}. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    public String webUiUrl() {
        return "http://127.0.0.1:" + webUiPort + "/";
    }

    @Override
    public String address() {
        return masterUrl();
    }

    /** Workers registered and alive, from the master's own state; 0 when it does not answer. */
    public int aliveWorkers() {
        return SparkWebUi.state(webUiPort, Duration.ofSeconds(3))
                .flatMap(json -> SparkWebUi.number(json, "aliveworkers")).map(Long::intValue).orElse(0);
    }

    Path configFile() {
        return directory().resolve("master.properties");
    }

    @Override
    protected Optional<String> addressFromConfigFile() {
        return readProperties(configFile()).map(p -> "spark://127.0.0.1:" + p.getProperty("port"));
    }

    @Override
    protected List<PortUse> ports() {
        return List.of(new PortUse(port, "master port"), new PortUse(webUiPort, "master web UI"));
    }

    @Override
    protected void prepare(String classpath) {
        sparkHome().ensure(classpath);
        writeFile(configFile(), "# Written by Sluice: the ports this master was started with.\nport=" + port
                + "\nwebUiPort=" + webUiPort + "\n");
    }

    /** The Spark home of this data dir ({@code <dataDir>/spark-home}), shared with the workers. */
    public SparkHome sparkHome() {
        return SparkStandalone.sparkHome(directory().getParent());
    }

    @Override
    protected Map<String, String> environment() {
        return sparkHome().environment();
    }

    @Override
    protected String mainClass() {
        return MAIN_CLASS;
    }

    @Override
    protected List<String> jvmOptions() {
        return List.of("-Djava.awt.headless=true");
    }

    @Override
    protected List<String> mainArgs() {
        return List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(webUiPort));
    }

    @Override
    protected boolean probe(Duration timeout) {
        return SparkWebUi.state(webUiPort, timeout).flatMap(json -> SparkWebUi.field(json, "status"))
                .map("ALIVE"::equals).orElse(false);
    }

    @Override
    protected String readinessQuery() {
        return "GET " + webUiUrl() + "json/ (status ALIVE)";
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
