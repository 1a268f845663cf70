package dev.tend.kv.embedded;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import dev.tend.kv.spi.KvBackendProvider;
import dev.tend.kv.spi.KvStoreOptions;
import dev.tend.kv.support.FileModes;

import java.nio.file.Path;

/** Serves {@code file:} store URLs with the embedded engine. */
public final class EmbeddedBackendProvider implements KvBackendProvider {

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public KvStore open(KvStoreOptions options) {
        Path dir;
        try {
            dir = Path.of(options.url());
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new InvalidInputException("invalid store URL \"" + options.url() + "\": use file:///absolute/path");
        }
        return new EmbeddedKvStore(dir, options, new NioStorageIo(new FileModes(options.storeMode())));
    }
}
