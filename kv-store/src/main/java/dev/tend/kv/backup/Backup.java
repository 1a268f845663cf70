package dev.tend.kv.backup;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A backup read back from its directory, verified: pass {@link #config()} and {@link #entries()} to
 * {@link dev.tend.kv.KvStore#restore(BucketConfig, Iterable)}.
 *
 * @param config        the bucket's configuration at backup time
 * @param entries       every retained entry, in revision order, markers included; streamed from
 *                      {@code entries.jsonl} each time it is iterated (so a backup may be larger than the heap).
 *                      An iterator closes its file when it reaches the end; a line that fails to read raises
 *                      {@link dev.tend.kv.CorruptDataException} naming the file and line
 * @param entryCount    how many entries the backup holds
 * @param lastRevision  the bucket's last revision when the backup was taken (0 when never written)
 * @param created       when the backup was taken
 * @param formatVersion the format version of the files
 * @param dir           the backup's directory
 */
public record Backup(BucketConfig config, Iterable<Entry> entries, long entryCount, long lastRevision,
                     Instant created, int formatVersion, Path dir) {
}
