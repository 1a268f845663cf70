package dev.tend.kv;

/** A compare-and-set write whose expected revision is not the key's latest. */
public class WrongRevisionException extends ConflictException {
    private final long expected;
    private final long actual;

    public WrongRevisionException(String bucket, String key, long expected, long actual) {
        this("wrong last revision for key \"" + key + "\" in bucket " + bucket + ": expected " + expected
                + ", latest is " + actual, expected, actual);
    }

    protected WrongRevisionException(String message, long expected, long actual) {
        super(message);
        this.expected = expected;
        this.actual = actual;
    }

    /** The revision the caller expected. */
    public long expected() {
        return expected;
    }

    /** The key's latest revision, of any operation (0 when the key has no entries). */
    public long actual() {
        return actual;
    }
}
