package dev.tend.kv;

/** Where a bucket keeps its data. The embedded backend keeps every bucket in files. */
public enum StorageType {
    FILE,
    MEMORY
}
