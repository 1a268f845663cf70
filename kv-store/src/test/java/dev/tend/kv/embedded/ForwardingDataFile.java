package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A {@link DataFile} that passes every call to another; a test's storage layer overrides what it changes. */
class ForwardingDataFile implements DataFile {
    private final DataFile delegate;

    ForwardingDataFile(DataFile delegate) {
        this.delegate = delegate;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
        delegate.write(src, position);
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public void truncate(long size) throws IOException {
        delegate.truncate(size);
    }

    @Override
    public void force() throws IOException {
        delegate.force();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
