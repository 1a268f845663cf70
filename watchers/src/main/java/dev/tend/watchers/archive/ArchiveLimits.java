package dev.tend.watchers.archive;

/**
 * How large an archive may be, so that a decompression bomb or a runaway download stops early: {@code archiveBytes}
 * bounds the compressed file (the download stops there), {@code uncompressedBytes} the whole decompressed tar stream
 * (headers included), {@code entryBytes} any one file and {@code entries} the number of entries.
 */
record ArchiveLimits(long archiveBytes, long uncompressedBytes, long entryBytes, int entries) {

    /** 64 MiB compressed, 256 MiB uncompressed, 64 MiB per file, 10,000 entries: ample for a machine's directory. */
    static final ArchiveLimits DEFAULT = new ArchiveLimits(64L << 20, 256L << 20, 64L << 20, 10_000);

    ArchiveLimits {
        if (archiveBytes <= 0 || uncompressedBytes <= 0 || entryBytes <= 0 || entries <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }
}
