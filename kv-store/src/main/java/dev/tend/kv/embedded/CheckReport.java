package dev.tend.kv.embedded;

import java.util.List;

/**
 * What {@link EmbeddedKvStore#check(String)} found.
 *
 * @param bucket   the bucket checked
 * @param records  intact records read
 * @param bytes    their bytes
 * @param problems damage, each a one-line description naming the file and offset; and files or directories more
 *                 open than the store's mode, each naming the path, its mode, the mode expected and the chmod
 *                 that fixes it
 * @param notes    harmless findings (an interrupted write past the commit point, a stale snapshot, temporary files
 *                 a crash left, with their size)
 */
public record CheckReport(String bucket, long records, long bytes, List<String> problems, List<String> notes) {

    public boolean ok() {
        return problems.isEmpty();
    }
}
