package io.sluice.stream;

import io.sluice.stream.launch.StreamJobProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Spark settings Sluice gives the job's driver when it runs the driver itself ({@code sluice run}), before the
 * user's {@code stream.spark_conf.*}, which win.
 *
 * <p>With a {@code local[..]} master everything is one JVM on 127.0.0.1. With a cluster master ({@code spark://..})
 * the driver runs here in client mode and the executors run on the workers: they get the same shaded
 * {@code sluice-stream-*-spark.jar} that {@code spark-submit} takes ({@code spark.jars}), Spark's JDK 17 module options,
 * and small defaults (1 core and 512 MB per executor, at most as many cores for the job as a batch has tasks, no
 * locality wait). On a
 * loopback master the driver also stays on 127.0.0.1; for a remote cluster set
 * {@code stream.spark_conf.spark.driver.host} to an address of this machine that the workers reach.
 */
final class EmbeddedDriver {
    /** Where {@link StreamJobProcess} tells the driver JVM the shaded job jar is. */
    static final String JOB_JAR_PROPERTY = StreamJobProcess.JOB_JAR_PROPERTY;

    private EmbeddedDriver() {
    }

    static boolean isLocal(String master) {
        return master.startsWith("local");
    }

    /**
     * @param master     {@code stream.master}
     * @param tasks      the most tasks a batch runs at once (the larger of {@code kafka.partitions} and
     *                   {@code stream.partitions}): the cores the job asks a cluster for, so no task waits for a core
     * @param jobJar     the shaded jar for the executors; required for a cluster master
     */
    static Map<String, String> settings(String master, int tasks, Optional<Path> jobJar) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.ui.enabled", "false");
        if (isLocal(master) || loopbackOnly(master)) {
            settings.put("spark.driver.bindAddress", "127.0.0.1");
            settings.put("spark.driver.host", "127.0.0.1");
        }
        if (isLocal(master)) {
            return settings;
        }
        Path jar = jobJar.filter(Files::isRegularFile).orElseThrow(() -> new IllegalStateException(
                "stream.master is " + master + ": the executors need the job's shaded jar (sluice-stream-*-spark.jar), "
                        + "which is not built" + jobJar.map(p -> " (" + p + " is missing)").orElse("")
                        + ". Build it with `mvn -pl sluice-stream -am package -DskipTests`."));
        settings.put("spark.jars", jar.toAbsolutePath().toString());
        settings.put("spark.executor.memory", "512m");
        settings.put("spark.executor.cores", "1");
        settings.put("spark.cores.max", Integer.toString(tasks));
        settings.put("spark.executor.extraJavaOptions", String.join(" ", StreamJobProcess.ENGINE_JVM_FLAGS));
        // The Kafka source prefers, for each partition, the executor that read it last (its cached consumer). With
        // Spark's default 3 s locality wait, a task whose executor is busy idles up to 3 s while another core is
        // free: on a trigger of a few seconds that is most of the batch. Run it on any free core instead.
        settings.put("spark.locality.wait", "0s");
        return settings;
    }

    /** True for {@code spark://127.0.0.1:7077} (or several loopback masters), where workers reach a loopback driver. */
    static boolean loopbackOnly(String master) {
        int scheme = master.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        return Arrays.stream(master.substring(scheme + 3).split(","))
                .map(hostPort -> hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort)
                .allMatch(host -> host.equals("localhost") || host.startsWith("127."));
    }
}
