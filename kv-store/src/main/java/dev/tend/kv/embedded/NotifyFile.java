package dev.tend.kv.embedded;

import dev.tend.kv.support.FileModes;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bucket's {@code notify} file, which wakes watchers in other processes: a writer writes a byte to it after
 * publishing a commit, and inotify reports that write to their stores ({@link NotifyFileWatcher}). The head, updated
 * through its mapping, makes no file-system event.
 */
final class NotifyFile implements Closeable {
    static final String NAME = "notify";
    private static final LazyLogger LOG = new LazyLogger(NotifyFile.class);

    private final FileChannel channel;
    private final String bucket;

    private NotifyFile(FileChannel channel, String bucket) {
        this.channel = channel;
        this.bucket = bucket;
    }

    /** Opens the bucket's notify file for writing, creating it if missing. */
    static NotifyFile open(Path dir, String bucket, FileModes modes) throws IOException {
        return new NotifyFile(modes.openOrCreate(dir.resolve(NAME), StandardOpenOption.WRITE), bucket);
    }

    /** Touches the file; a failure only delays other processes' watchers until their poll. */
    void poke() {
        try {
            channel.write(ByteBuffer.wrap(new byte[] {1}), 0);
        } catch (IOException e) {
            LOG.get().debug("bucket {}: could not touch the notify file: {}", bucket, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
