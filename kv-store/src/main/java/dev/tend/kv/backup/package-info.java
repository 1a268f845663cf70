/**
 * The portable backup of a bucket: its configuration and every retained entry, in a directory any backend can
 * restore from; also how a bucket moves from the embedded store to NATS. Used by {@code tend kv backup} and
 * {@code restore}.
 *
 * <p>Public: {@link dev.tend.kv.backup.BucketBackup} ({@code write}, {@code read}, {@code isBackup} and the file
 * names), which the class comment describes file by file, and what it returns, {@link dev.tend.kv.backup.Backup}
 * (pass its config and entries to {@link dev.tend.kv.KvStore#restore}) and {@link dev.tend.kv.backup.BackupSummary}.
 *
 * <p>Inside: {@code BucketFile} is {@code bucket.json} (its {@code config} in the
 * {@link dev.tend.kv.support.ConfigShape#BACKUP} shape of the config codec); {@code EntriesWriter} writes
 * {@code entries.jsonl} from a {@code WatchCollector} (a watch with history, up to its caught-up point);
 * {@code EntriesReader} reads it back with jackson-core's streaming parser, checking every line (one object per
 * line, no empty line, a final newline, UTF-8, each field) with errors that name the file and the line;
 * {@code BackupFiles} holds what they share (the JSON factory, times, moves, the errors' wording).
 */
package dev.tend.kv.backup;
