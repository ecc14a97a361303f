package io.sluice.stack.spark;

import io.sluice.stack.LocalServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone worker ({@code org.apache.spark.deploy.worker.Worker}) on 127.0.0.1, in
 * {@code <dataDir>/spark-worker-<n>/}, with its executors' work dirs in {@code work/} there. It offers
 * {@link #withCores cores} and {@link #withMemory memory} to applications and starts their executors from the shared
 * {@link SparkHome}. Ready when its own web UI names the master it registered with.
 */
public final class SparkWorker extends LocalServer<SparkWorker> {
    static final String MAIN_CLASS = "org.apache.spark.deploy.worker.Worker";

    private final int number;
    private String masterUrl = "spark://127.0.0.1:" + SparkMaster.DEFAULT_PORT;
    private int port;
    private int webUiPort;
    private int cores = 1;
    private String memory = "1g";

    /** Worker {@code number} (1, 2, ...): default port {@code 7077 + n}, web UI {@code 8080 + n}. */
    public SparkWorker(int number) {
        super("spark-worker-" + number, "spark-worker-" + number, SparkMaster.CLASSPATH_MODULE, Duration.ofSeconds(60));
        if (number < 1) {
            throw new IllegalArgumentException("worker numbers start at 1, got " + number);
        }
        this.number = number;
        this.port = SparkMaster.DEFAULT_PORT + number;
        this.webUiPort = SparkMaster.DEFAULT_WEB_UI_PORT + number;
        withHeap("256m");
    }

    public SparkWorker withMasterUrl(String masterUrl) {
        this.masterUrl = masterUrl;
        return this;
    }

    public SparkWorker withPort(int port) {
        this.port = port;
        return this;
    }

    public SparkWorker withWebUiPort(int port) {
        this.webUiPort = port;
        return this;
    }

    /** Cores this worker offers to executors ({@code --cores}). */
    public SparkWorker withCores(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("a worker offers at least 1 core, got " + cores);
        }
        this.cores = cores;
        return this;
    }

    /** Memory this worker offers to executors ({@code --memory}, e.g. {@code 1g}); its own heap is {@link #withHeap}. */
    public SparkWorker withMemory(String memory) {
        if (memory == null || !memory.matches("\\d+[mMgG]")) {
            throw new IllegalArgumentException("worker memory must look like 1g or 768m, got " + memory);
        }
        this.memory = memory;
        return this;
    }

    public int number() {
        return number;
    }

    public int port() {
        return port;
    }

    public int webUiPort() {
        return webUiPort;
    }

    public int cores() {
        return cores;
    }

    public String memory() {
        return memory;
    }

    /** Where executors run: {@code <worker dir>/work/<app>/<executor>/} with their stdout and stderr. */
    public Path workDirectory() {
        return directory().resolve("work");
    }

    @Override
    public String address() {
        return "127.0.0.1:" + port;
    }

    Path configFile() {
        return directory().resolve("worker.properties");
    }

    @Override
    protected Optional<String> addressFromConfigFile() {
        return SparkMaster.readProperties(configFile()).map(p -> "127.0.0.1:" + p.getProperty("port"));
    }

    @Override
    protected List<PortUse> ports() {
        return List.of(new PortUse(port, "worker port"), new PortUse(webUiPort, "worker web UI"));
    }

    @Override
    protected void prepare(String classpath) {
        createDirectories(workDirectory());
        SparkStandalone.sparkHome(directory().getParent()).ensure(classpath);
        writeFile(configFile(), "# Written by Sluice: how this worker was started.\nport=" + port + "\nwebUiPort="
                + webUiPort + "\nmaster=" + masterUrl + "\ncores=" + cores + "\nmemory=" + memory + "\n");
    }

    @Override
    protected Map<String, String> environment() {
        return SparkStandalone.sparkHome(directory().getParent()).environment();
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
        return List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(webUiPort),
                "--cores", Integer.toString(cores), "--memory", memory, "--work-dir", workDirectory().toString(), masterUrl);
    }

    /** The worker's UI names its master only after the master accepted its registration. */
    @Override
    protected boolean probe(Duration timeout) {
        int uiPort = SparkMaster.readProperties(configFile())
                .map(p -> Integer.parseInt(p.getProperty("webUiPort", Integer.toString(webUiPort)))).orElse(webUiPort);
        return SparkWebUi.state(uiPort, timeout).flatMap(json -> SparkWebUi.field(json, "masterurl"))
                .map(url -> url.startsWith("spark://")).orElse(false);
    }

    @Override
    protected String readinessQuery() {
        return "GET http://127.0.0.1:" + webUiPort + "/json/ (registered with " + masterUrl + ")";
    }
}
