package dev.tend.kv;

/** What a write did to its key. Every write, of any kind, takes the next revision of the bucket. */
public enum Operation {
    /** A value was stored. */
    PUT,
    /** A delete marker: the key reads as unknown, its history is kept. */
    DEL,
    /** A purge marker: the key reads as unknown and every earlier entry of it is dropped. */
    PURGE;

    /** True for the two markers, which make a key read as unknown. */
    public boolean isMarker() {
        return this != PUT;
    }
}
