package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The file operations behind the engine's data files (logs, index snapshots, configs). Production uses
 * {@link NioStorageIo}; tests substitute a layer that simulates a power loss by dropping unforced bytes.
 */
interface StorageIo {

    /**
     * Opens a file for reading, or for reading and writing when {@code write}; a file to write that is absent is
     * created with the store's mode ({@link dev.tend.kv.support.FileModes}).
     */
    DataFile open(Path path, boolean write) throws IOException;

    /** Renames {@code from} to {@code to} atomically, replacing {@code to}. */
    void move(Path from, Path to) throws IOException;

    /** Makes a directory's entries (renames, creations) durable. */
    void syncDirectory(Path dir) throws IOException;
}
