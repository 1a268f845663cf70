package dev.tend.kv;

/** When a write is acknowledged, for backends that write local files. */
public enum Durability {
    /** A write returns once its record is forced to disk (concurrent writers share one force). The default. */
    DURABLE,
    /**
     * A write returns once its record is in the operating system's page cache. A crash of the process loses
     * nothing; a power loss or kernel crash may lose the most recent writes. Faster, and named so on purpose.
     */
    RELAXED
}
