package dev.tend.kv;

/** No bucket of that name. */
public class UnknownBucketException extends NotFoundException {
    private final String bucket;

    public UnknownBucketException(String bucket) {
        super("unknown bucket " + bucket);
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }
}
