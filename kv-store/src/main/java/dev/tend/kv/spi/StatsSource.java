package dev.tend.kv.spi;

/** A store that keeps {@link StoreStats}; a caller checks {@code store instanceof StatsSource}. */
public interface StatsSource {

    /** The store's figures, live: the same object for the store's life. */
    StoreStats stats();
}
