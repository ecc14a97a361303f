package io.sluice.stream;

import io.sluice.config.PipelineConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the job's SparkSession. Under spark-submit the cluster decides master, addresses and UI; when Sluice runs
 * the job itself ("embedded") the driver is a quiet process on this machine, with a local master or a cluster's
 * ({@link EmbeddedDriver}).
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    /** spark-submit passes the master as a system property; its absence means Sluice launched this JVM. */
    public static boolean embedded() {
        return System.getProperty("spark.master") == null;
    }

    public static SparkSession create(PipelineConfig config) {
        SparkSession.Builder builder = SparkSession.builder()
                .appName("sluice-" + config.name())
                // Micro-batches are small; Spark's default of 200 shuffle partitions would mean 200 tiny tasks.
                .config("spark.sql.shuffle.partitions", Integer.toString(config.streamPartitions()))
                // A local checkpoint without Hadoop's forks of chmod and readlink for every file; others as before.
                .config(CheckpointFiles.CONF_KEY, CheckpointFiles.class.getName());
        CassandraOptions.connection(config).forEach(builder::config);
        if (embedded()) {
            builder.master(config.streamMaster());
            Optional<Path> jobJar = Optional.ofNullable(System.getProperty(EmbeddedDriver.JOB_JAR_PROPERTY)).map(Path::of);
            EmbeddedDriver.settings(config.streamMaster(),
                    Math.max(config.kafkaPartitions(), config.streamPartitions()), jobJar).forEach(builder::config);
        }
        config.streamSparkConf().forEach(builder::config); // the user's `stream.spark_conf.*` wins
        SparkSession spark = builder.getOrCreate();
        PlainFormat.install(spark);
        return spark;
    }
}
