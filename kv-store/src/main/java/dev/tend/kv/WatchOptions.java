package dev.tend.kv;

/**
 * How a watch starts and what it delivers. By default a watch delivers the latest entry of each matching key
 * (markers included), then signals that it has caught up, then every new write in revision order.
 *
 * @param includeHistory deliver every retained entry of the matching keys first, not only the latest
 * @param updatesOnly    deliver only writes made after the watch started (it is caught up at once)
 * @param ignoreDeletes  do not deliver DEL and PURGE markers
 * @param metaOnly       deliver entries without their values
 * @param fromRevision   deliver every retained entry from this revision on (0 = not set)
 */
public record WatchOptions(boolean includeHistory, boolean updatesOnly, boolean ignoreDeletes, boolean metaOnly,
                           long fromRevision) {

    public WatchOptions {
        if (fromRevision < 0) {
            throw new InvalidInputException("a watch's start revision must be positive, not " + fromRevision);
        }
        int starts = (includeHistory ? 1 : 0) + (updatesOnly ? 1 : 0) + (fromRevision > 0 ? 1 : 0);
        if (starts > 1) {
            throw new InvalidInputException(
                    "a watch starts one way only: choose one of include history, updates only, from revision");
        }
    }

    /** The latest entry of each key, then live writes. */
    public static WatchOptions defaults() {
        return new WatchOptions(false, false, false, false, 0);
    }

    public WatchOptions withIncludeHistory() {
        return new WatchOptions(true, updatesOnly, ignoreDeletes, metaOnly, fromRevision);
    }

    public WatchOptions withUpdatesOnly() {
        return new WatchOptions(includeHistory, true, ignoreDeletes, metaOnly, fromRevision);
    }

    public WatchOptions withIgnoreDeletes() {
        return new WatchOptions(includeHistory, updatesOnly, true, metaOnly, fromRevision);
    }

    public WatchOptions withMetaOnly() {
        return new WatchOptions(includeHistory, updatesOnly, ignoreDeletes, true, fromRevision);
    }

    public WatchOptions withFromRevision(long revision) {
        return new WatchOptions(includeHistory, updatesOnly, ignoreDeletes, metaOnly, revision);
    }
}
