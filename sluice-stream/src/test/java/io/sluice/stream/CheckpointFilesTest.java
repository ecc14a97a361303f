package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager.CancellableFSDataOutputStream;
import org.apache.spark.sql.execution.streaming.CommitLog;
import org.apache.spark.sql.execution.streaming.CommitMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
    @TempDir
    Path dir;

    private CheckpointFiles files() {
        return new CheckpointFiles(hadoop(dir), new Configuration(false));
    }

    private static org.apache.hadoop.fs.Path hadoop(Path path) {
        return new org.apache.hadoop.fs.Path(path.toString());
    }

    private static void write(CancellableFSDataOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private String read(CheckpointFiles files, Path file) throws IOException {
        try (InputStream in = files.open(hadoop(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private long filesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.count();
        }
    }

    @Test
    void aFileAppearsWholeWhenClosedAndACancelledOneLeavesNothing() throws IOException {
        CheckpointFiles files = files();
        Path batch = dir.resolve("offsets").resolve("0");
        CancellableFSDataOutputStream out = files.createAtomic(hadoop(batch), false);
        write(out, "v1\n{\"a\":1}");
        assertThat(batch).doesNotExist();
        out.close();
        assertThat(read(files, batch)).isEqualTo("v1\n{\"a\":1}");

        CancellableFSDataOutputStream cancelled = files.createAtomic(hadoop(dir.resolve("offsets").resolve("1")), false);
        write(cancelled, "half");
        cancelled.cancel();
        assertThat(filesIn(dir.resolve("offsets"))).isEqualTo(1); // no temporary file and no batch 1
    }

    @Test
    void aBatchFileIsNeverReplacedUnlessOverwritingIsAllowed() throws IOException {
        CheckpointFiles files = files();
        Path batch = dir.resolve("commits").resolve("7");
        try (CancellableFSDataOutputStream out = files.createAtomic(hadoop(batch), false)) {
            write(out, "first");
        }
        CancellableFSDataOutputStream second = files.createAtomic(hadoop(batch), false);
        write(second, "second");
        // What Spark's metadata log reads as "another query wrote this batch".
        assertThatThrownBy(second::close).isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining(
                batch.toString());
        assertThat(read(files, batch)).isEqualTo("first");
        assertThat(filesIn(batch.getParent())).isEqualTo(1);

        try (CancellableFSDataOutputStream third = files.createAtomic(hadoop(batch), true)) {
            write(third, "third");
        }
        assertThat(read(files, batch)).isEqualTo("third");
    }

    @Test
    void listsExistsDeletesAndMakesDirectoriesOnTheLocalDisk() throws IOException {
        CheckpointFiles files = files();
        Path offsets = dir.resolve("offsets");
        assertThat(files.list(hadoop(offsets))).isEmpty();
        files.mkdirs(hadoop(offsets));
        for (String name : new String[] {"0", "1", ".2.tmp"}) {
            Files.writeString(offsets.resolve(name), name);
        }
        FileStatus[] batches = files.list(hadoop(offsets), path -> !path.getName().startsWith("."));
        assertThat(Arrays.stream(batches).map(status -> status.getPath().getName())).containsExactlyInAnyOrder("0", "1");
        assertThat(Arrays.stream(batches).mapToLong(FileStatus::getLen)).containsOnly(1L);
        assertThat(files.exists(hadoop(offsets.resolve("1")))).isTrue();
        files.delete(hadoop(offsets.resolve("1")));
        files.delete(hadoop(offsets.resolve("1"))); // already gone: nothing to do, as in Spark's managers
        assertThat(files.exists(hadoop(offsets.resolve("1")))).isFalse();
        assertThat(files.isLocal()).isTrue();
        assertThat(files.createCheckpointDirectory().toString()).isEqualTo("file:" + dir);
    }

    @Test
    void onlyALocalPathIsKeptHereAnyOtherFileSystemIsSparks() {
        assertThat(LocalCheckpointFiles.holds(new org.apache.hadoop.fs.Path("/var/sluice/checkpoint"))).isTrue();
        assertThat(LocalCheckpointFiles.holds(new org.apache.hadoop.fs.Path("file:/var/sluice/checkpoint"))).isTrue();
        assertThat(LocalCheckpointFiles.holds(new org.apache.hadoop.fs.Path("hdfs://namenode:8020/cp"))).isFalse();
        assertThat(LocalCheckpointFiles.holds(new org.apache.hadoop.fs.Path("s3a://bucket/cp"))).isFalse();
    }

    @Test
    void sparksOwnCommitLogKeepsItsBatchesThroughTheseFiles() {
        SparkSession spark = LocalSpark.get();
        spark.conf().set(CheckpointFiles.CONF_KEY, CheckpointFiles.class.getName());
        try {
            String commits = dir.resolve("commits").toString();
            assertThat(CheckpointFileManager.create(hadoop(dir), spark.sessionState().newHadoopConf()))
                    .isInstanceOf(CheckpointFiles.class);
            CommitLog log = new CommitLog(spark, commits);
            for (long batch = 0; batch < 3; batch++) {
                assertThat(log.add(batch, new CommitMetadata(batch))).isTrue();
            }
            assertThat(log.add(1, new CommitMetadata(99))).isFalse(); // a batch is written once
            log.purge(2);

            CommitLog restarted = new CommitLog(spark, commits);
            assertThat(restarted.getLatestBatchId().get()).isEqualTo(2L);
            assertThat(restarted.get(1).isEmpty()).isTrue();
            assertThat(restarted.get(2).get().nextBatchWatermarkMs()).isEqualTo(2L);
            assertThat(dir.resolve("commits")).isDirectoryContaining(path -> path.getFileName().toString().equals("2"));
        } finally {
            spark.conf().unset(CheckpointFiles.CONF_KEY);
        }
    }
}
