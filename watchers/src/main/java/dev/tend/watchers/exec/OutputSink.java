package dev.tend.watchers.exec;

/** Where a command's output goes as it is read. */
interface OutputSink {
    void write(byte[] bytes, int offset, int length);
}
