package dev.tend.kv.backup;

import java.nio.file.Path;

/**
 * What {@link BucketBackup#write} wrote.
 *
 * @param bucket       the bucket's name
 * @param entries      how many entries (values and markers) the backup holds
 * @param bytes        the size of the backup's files on disk
 * @param lastRevision the bucket's last revision at the backup's caught-up point (0 when never written)
 * @param dir          the backup's directory
 */
public record BackupSummary(String bucket, long entries, long bytes, long lastRevision, Path dir) {
}
