package dev.tend.kv;

/** The key has no entry, or its latest entry is a delete or purge marker. */
public class UnknownKeyException extends NotFoundException {
    private final String bucket;
    private final String key;

    public UnknownKeyException(String bucket, String key) {
        super("unknown key \"" + key + "\" in bucket " + bucket);
        this.bucket = bucket;
        this.key = key;
    }

    public String bucket() {
        return bucket;
    }

    public String key() {
        return key;
    }
}
