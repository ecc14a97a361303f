package io.sluice.stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;

/**
 * The checkpoint file manager Sluice gives Spark ({@value #CONF_KEY}): a checkpoint on a local disk is kept by
 * {@link LocalCheckpointFiles}, which forks no process; one anywhere else (HDFS, S3, ...) by Spark's own manager,
 * exactly as if this class were not configured.
 */
public final class CheckpointFiles implements CheckpointFileManager {
    public static final String CONF_KEY = "spark.sql.streaming.checkpointFileManagerClass";

    private final CheckpointFileManager files;

    /** Spark calls this constructor for each checkpoint directory it opens. */
    public CheckpointFiles(Path path, Configuration hadoopConf) {
        if (LocalCheckpointFiles.holds(path)) {
            files = new LocalCheckpointFiles(path, hadoopConf);
        } else {
            Configuration sparkDefault = new Configuration(hadoopConf);
            sparkDefault.unset(CONF_KEY);
            files = CheckpointFileManager.create(path, sparkDefault);
        }
    }

    @Override
    public CancellableFSDataOutputStream createAtomic(Path path, boolean overwriteIfPossible) {
        return files.createAtomic(path, overwriteIfPossible);
    }

    @Override
    public FSDataInputStream open(Path path) {
        return files.open(path);
    }

    @Override
    public FileStatus[] list(Path path, PathFilter filter) {
        return files.list(path, filter);
    }

    @Override
    public void mkdirs(Path path) {
        files.mkdirs(path);
    }

    @Override
    public boolean exists(Path path) {
        return files.exists(path);
    }

    @Override
    public void delete(Path path) {
        files.delete(path);
    }

    @Override
    public boolean isLocal() {
        return files.isLocal();
    }

    @Override
    public Path createCheckpointDirectory() {
        return files.createCheckpointDirectory();
    }
}
