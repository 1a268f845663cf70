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
}
