package io.sluice.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager.RenameBasedFSDataOutputStream;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager.RenameHelperMethods;

/**
 * A checkpoint (offset and commit logs, one file of each per micro-batch) on a local disk, kept with {@code java.nio}.
 * Spark's default goes through Hadoop's local file system, which, without Hadoop's native library (the usual case),
 * forks {@code readlink} or {@code chmod} for nearly every file operation: about 20 processes per micro-batch, each
 * costing more than the write itself.
 *
 * <p>The guarantees are those of Spark's own managers: a file appears whole or not at all (written beside its final
 * name, then renamed, by Spark's {@link RenameBasedFSDataOutputStream}); a file that must not be overwritten is never
 * replaced (a hard link, which fails when the name is taken, where a rename would replace it); and its bytes are on
 * the disk before it appears, so a crash just after a batch leaves a log that the restart can read.
 *
 * <p>Spark's Scala callers catch Hadoop's checked {@link IOException}s, which a Scala trait does not declare; they are
 * rethrown unchanged ({@link #rethrow}).
 */
final class LocalCheckpointFiles implements CheckpointFileManager, RenameHelperMethods {
    private final Path root;
    /** Hadoop's local reads fork nothing (only its permission and link calls do), and Spark wants its stream. */
    private final RawLocalFileSystem reader = new RawLocalFileSystem();

    LocalCheckpointFiles(Path root, Configuration hadoopConf) {
        this.root = root;
        try {
            reader.initialize(URI.create("file:///"), hadoopConf);
        } catch (IOException e) {
            throw rethrow(e);
        }
    }

    /** A path without a scheme is on the local disk, as Spark reads it with a local master. */
    static boolean holds(Path path) {
        String scheme = path.toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    static java.nio.file.Path local(Path path) {
        return java.nio.file.Path.of(path.toUri().getPath()).toAbsolutePath();
    }

    /** {@code file:/abs/path}, the form Spark's own local manager returns. */
    static Path qualified(java.nio.file.Path local) {
        return new Path("file", null, local.toString());
    }

    @Override
    public CancellableFSDataOutputStream createAtomic(Path path, boolean overwriteIfPossible) {
        return new RenameBasedFSDataOutputStream(this, path, overwriteIfPossible);
    }

    @Override
    public FSDataOutputStream createTempFile(Path path) {
        try {
            java.nio.file.Path file = local(path);
            Files.createDirectories(file.getParent());
            return new FSDataOutputStream(new SyncedOnClose(
                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)), null);
        } catch (IOException e) {
            throw rethrow(e);
        }
    }

    @Override
    public void renameTempFile(Path srcPath, Path dstPath, boolean overwriteIfPossible) {
        java.nio.file.Path source = local(srcPath);
        java.nio.file.Path target = local(dstPath);
        try {
            if (overwriteIfPossible) {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.createLink(target, source);
                Files.delete(source);
            }
        } catch (FileAlreadyExistsException e) {
            // Spark's stream is closed by now, so its cancel() would not remove the temporary file: this does.
            delete(srcPath);
            // Spark's metadata log reads Hadoop's exception as "another query already wrote this batch".
            throw rethrow(new org.apache.hadoop.fs.FileAlreadyExistsException(dstPath + " already exists"));
        } catch (IOException e) {
            throw rethrow(e);
        }
    }

    @Override
    public FSDataInputStream open(Path path) {
        try {
            return reader.open(qualified(local(path)));
        } catch (IOException e) {
            throw rethrow(e);
        }
    }

    @Override
    public FileStatus[] list(Path path, PathFilter filter) {
        List<FileStatus> found = new ArrayList<>();
        try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(local(path))) {
            for (java.nio.file.Path entry : entries) {
                Path child = new Path(path, entry.getFileName().toString());
                if (filter.accept(child)) {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                    found.add(new FileStatus(attributes.size(), attributes.isDirectory(), 1, 0,
                            attributes.lastModifiedTime().toMillis(), child));
                }
            }
        } catch (NoSuchFileException e) {
            return new FileStatus[0];
        } catch (IOException e) {
            throw rethrow(e);
        }
        return found.toArray(new FileStatus[0]);
    }

    @Override
    public void mkdirs(Path path) {
        try {
            Files.createDirectories(local(path));
        } catch (IOException e) {
            throw rethrow(e);
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(local(path));
    }

    @Override
    public void delete(Path path) {
        try {
            Files.deleteIfExists(local(path));
        } catch (IOException e) {
            throw rethrow(e);
        }
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public Path createCheckpointDirectory() {
        mkdirs(root);
        return qualified(local(root));
    }

    /** Throws {@code e} as it is; declared to return so a caller can write {@code throw rethrow(e)}. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException rethrow(Throwable e) throws E {
        throw (E) e;
    }

    /** The temporary file's stream: its bytes reach the disk before it closes, and so before it is renamed. */
    private static final class SyncedOnClose extends OutputStream {
        private final FileChannel channel;
        private final OutputStream out;

        SyncedOnClose(FileChannel channel) {
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (channel.isOpen()) {
                channel.force(true);
                channel.close();
            }
        }
    }
}
