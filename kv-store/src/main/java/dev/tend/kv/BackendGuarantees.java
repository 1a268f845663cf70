package dev.tend.kv;

/**
 * What a backend promises, so one contract suite can hold every backend: where a guarantee is
 * declared the suite checks its strong form, elsewhere the weak form.
 *
 * @param readYourWrites       a read right after a write (from any handle of the same store) sees it
 * @param atomicCreate         create on a deleted key cannot race with another create or delete
 * @param exactlyOnceWatch     a watch never delivers the same revision twice
 * @param maxReplicas          the largest replica count a bucket may ask for
 * @param mirrors              read-replica (mirror) buckets are supported
 * @param memoryStorage        buckets may keep their data in memory only
 * @param preservesRevisions   a restored bucket keeps the revisions and times of its backup
 * @param strictBucketSize     a write that would take a bucket past its max bucket size is refused and never
 *                             makes room by dropping older entries (nats-server 2.9 compares only the value and
 *                             headers with the room left, then drops the oldest entries to fit the stored record)
 */
public record BackendGuarantees(boolean readYourWrites, boolean atomicCreate, boolean exactlyOnceWatch,
                                int maxReplicas, boolean mirrors, boolean memoryStorage, boolean preservesRevisions,
                                boolean strictBucketSize) {

    /** A builder that starts from the weakest form of every guarantee: nothing promised, one replica. */
    public static Builder builder() {
        return new Builder();
    }

    /** Names each guarantee a backend declares, so a declaration reads as what it promises. */
    public static final class Builder {
        private boolean readYourWrites;
        private boolean atomicCreate;
        private boolean exactlyOnceWatch;
        private int maxReplicas = 1;
        private boolean mirrors;
        private boolean memoryStorage;
        private boolean preservesRevisions;
        private boolean strictBucketSize;

        private Builder() {
        }

        public Builder readYourWrites(boolean value) {
            readYourWrites = value;
            return this;
        }

        public Builder atomicCreate(boolean value) {
            atomicCreate = value;
            return this;
        }

        public Builder exactlyOnceWatch(boolean value) {
            exactlyOnceWatch = value;
            return this;
        }

        public Builder maxReplicas(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxReplicas must be at least 1, not " + value);
            }
            maxReplicas = value;
            return this;
        }

        public Builder mirrors(boolean value) {
            mirrors = value;
            return this;
        }

        public Builder memoryStorage(boolean value) {
            memoryStorage = value;
            return this;
        }

        public Builder preservesRevisions(boolean value) {
            preservesRevisions = value;
            return this;
        }

        public Builder strictBucketSize(boolean value) {
            strictBucketSize = value;
            return this;
        }

        public BackendGuarantees build() {
            return new BackendGuarantees(readYourWrites, atomicCreate, exactlyOnceWatch, maxReplicas, mirrors,
                    memoryStorage, preservesRevisions, strictBucketSize);
        }
    }
}
