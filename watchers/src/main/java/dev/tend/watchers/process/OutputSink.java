package dev.tend.watchers.process;

/** Where a command's output goes as it is read. */
public interface OutputSink {
    void write(byte[] bytes, int offset, int length);
}
