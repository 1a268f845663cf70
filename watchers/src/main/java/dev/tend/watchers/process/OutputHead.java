package dev.tend.watchers.process;

/**
 * The first {@code limit} bytes of a command's output, and whether it wrote more. Its lock guards them between the pump
 * thread that writes them and the run that reads them.
 */
public final class OutputHead implements OutputSink {

    private final int limit;
    private final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    private boolean overflowed;

    public OutputHead(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int room = limit - kept.size();
        if (length > room) {
            overflowed = true;
        }
        kept.write(bytes, offset, Math.max(0, Math.min(room, length)));
    }

    public synchronized boolean overflowed() {
        return overflowed;
    }

    public synchronized byte[] bytes() {
        return kept.toByteArray();
    }
}
