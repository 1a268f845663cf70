package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link NioStorageIo} behind a layer a test overrides where it changes something (usually {@link #open}, returning
 * a {@link ForwardingDataFile} that changes a call).
 */
class ForwardingStorageIo implements StorageIo {
    private final StorageIo real = new NioStorageIo();

    @Override
    public DataFile open(Path path, boolean write) throws IOException {
        return real.open(path, write);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        real.move(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        real.syncDirectory(dir);
    }
}
