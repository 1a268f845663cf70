/**
 * The embedded backend: buckets kept in a local directory, with no server. Every process that opens the store (the
 * agent, each {@code tend kv} call, a library user) reads and writes the files itself, and processes coordinate only
 * through those files. {@code KvStore.open} finds it through {@link java.util.ServiceLoader}, registered for
 * {@code file:} URLs ({@link dev.tend.kv.embedded.EmbeddedBackendProvider}). Public are only that provider and
 * {@link dev.tend.kv.embedded.EmbeddedKvStore} with its {@code check} ({@link dev.tend.kv.embedded.CheckReport}),
 * which {@code tend kv check} calls; everything else is package-private. docs/embedded-engine.md describes the
 * formats and the algorithms; this page says where they live.
 *
 * <h2>Where to start reading</h2>
 * {@code EmbeddedKvStore} (the directory, its buckets, the executors) hands out {@code EmbeddedBucket}s, handles by
 * name that send every call to the bucket's current {@code BucketEngine}, which answers reads itself and creates the
 * other parts on their first use: a process that reads a key and exits ({@code tend kv get}) loads none of them and
 * starts no thread, and one that writes a key and exits ({@code tend kv put}) loads only the writer, not the index.
 *
 * <h2>The parts</h2>
 * <ul>
 *   <li>{@code BucketEngine}: one open bucket in this process. Opens it, loads its index when an operation needs
 *   it, answers reads from the index or, before the index is loaded, from the snapshot and the log
 *   ({@code PointRead} for one key, {@code SnapshotScan} for {@code keys} and {@code status}; writes likewise,
 *   {@code PointWrite}; {@code PointTail} bounds the log they decode in all before the index is loaded), and ends
 *   when the bucket is removed or the store closes.</li>
 *   <li>{@code Recovery}: keeps this process in step with the files (catching up with other processes, checking the
 *   log against the head when the index is loaded) and repairs them under the file lock (adopting intact records
 *   beyond a stale head, cutting a torn tail, refusing a damaged middle, removing the generations a crashed
 *   compaction left, rewriting config.json from the log's header). Created on the first index load: a process that
 *   only makes point reads never loads it.</li>
 *   <li>{@code BucketIdentity}: notices a directory removed or replaced behind the store (the head {@code HeadFile}
 *   opened is no longer the one at its path) and ends the engine: its watches end cleanly after a store's delete,
 *   with {@code BucketReplacedException} otherwise. Asked on the poll and inotify's "directory gone" for watched
 *   buckets, once a second at most on a handle's call, and before every write batch, compaction, snapshot and index
 *   load.</li>
 *   <li>{@code Generation}: one generation of the log, open (its file, header and config), swapped as one value;
 *   also the naming of generation files, and reading one entry back.</li>
 *   <li>{@code LogView}: what this process has read of the log: the generation, the index ({@code KeyIndex}, flat
 *   arrays rather than a map of objects), how far it goes, under one read-write lock.</li>
 *   <li>{@code BucketLock} and {@code NotifyFile}: the cross-process coordination: the file lock, the compaction
 *   lock, the snapshot lock, the force lock and the pending lock on the {@code lock} file; the byte written to {@code notify} after
 *   each commit, which wakes other processes' watches. The head's marks ({@code HeadFile}: appended, forced,
 *   published) say how far the log is written, forced and visible, to every process.</li>
 *   <li>{@code LockFiles}: one channel per locked file ({@code lock}, {@code handoff}, {@code handoff-wake}) in the
 *   JVM, shared by every store instance and user and closed with the last, keyed by the file's identity. An OS
 *   record lock belongs to the process and closing any descriptor of the file lets go of all the process's locks on
 *   it, so a channel of its own per instance would let one instance's close drop another's locks. As the JDK closes a
 *   channel an interrupted thread uses, every operation on a shared channel runs with the interrupt status cleared,
 *   and a lock that must be waited for is waited for by a thread of its lock-wait pool ({@code tend-kv-lock-wait-N},
 *   daemons, never interrupted) while the caller waits uninterruptibly. The channels and that pool are the package's
 *   only static mutable state, for that reason.</li>
 *   <li>{@code BatchWriter}: writes, in batches through {@code GroupCommit}: under the file lock, validate against
 *   a fork of the index (with the batches other processes appended and have not yet seen forced), encode, append;
 *   then, without it, wait for a force that covers the batch (its own or another process's: the cross-process
 *   group commit), publish, apply; cut back on failure. A batch is pending (the pending lock held shared) from
 *   before its append until it is published or has failed, so that records beyond the published mark that no
 *   writer holds pending are known to be a dead writer's: {@code Recovery} settles them (adopts or cuts) before
 *   the process answers a read or validates a write. Also appends restored entries. In a process that has not
 *   loaded the index, it validates against {@code PointWrite} instead: the batch's keys and the bucket's last
 *   revision and time from the snapshot and the log after it; a batch that only the index can validate (a max
 *   bucket size, a long tail, anything to repair, orphans to settle) fails with {@code IndexNeededException}, and
 *   the engine makes the write again after loading the index.</li>
 *   <li>{@code Handoff}: the hand-off of writes between processes: a durable writer with the index posts its batch
 *   in its slot of the {@code handoff} file ({@code SlotTable}, mapped, a slot owned through an OS lock on its byte
 *   and the table reset after a reboot; {@code SlotCodec} encodes the operations and their outcomes, every length
 *   bounded by the slot) and either becomes the holder (byte 5 of {@code lock}) and commits every posted batch in one
 *   round ({@code BatchWriter.serveRound}: one catch-up, append, force and publication), or waits for the round
 *   (bytes 0 and 1 of {@code handoff-wake}) and reads its outcomes; a dead holder's claims are settled by the next
 *   holder, a gone requester's request is discarded, a slot that cannot be decoded is rejected.</li>
 *   <li>{@code WatchFeed}: the bucket's watches ({@code EmbeddedWatch}, each with its initial entries packed in an
 *   {@code InitialEntries}) and what they read; {@code FeedTail}, the
 *   bucket's shared reader, reads each new stretch of the log once and queues each record for the watches that have
 *   caught up and whose filters match (by key for one literal key); a watch still catching up (initial entries, or
 *   detached from the tail after {@code FeedTail.MAX_QUEUED} entries piled up for its listener) reads with a cursor of
 *   its own and joins the tail when it has read as far. {@code NotifyFileWatcher} and the store's poll wake them for
 *   other processes' writes.</li>
 *   <li>{@code Compactor}: rewrites the log as the next generation by a {@code Compaction} policy (background trim
 *   in two phases; purge deletes, clear, a new config under the file lock). {@code Maintenance} decides when: TTL
 *   expiry, trims, index snapshots ({@code HintFile}).</li>
 *   <li>Formats and files: {@code LogFormat}, {@code LogRecord}, {@code LogReader}, {@code LogCopy} (the log),
 *   {@code HeadFile} (the head), {@code HintFile} (the snapshot), {@code ConfigFile} and {@code CompactConfigJson}
 *   (config.json and the header's config), {@code StorageIo}/{@code DataFile} (file access, which the crash tests
 *   replace with their own; the real one creates files with the store mode's permissions,
 *   {@code dev.tend.kv.support.FileModes}), {@code BucketCheck} (verifies a bucket's files for {@code tend kv check})
 *   with {@code FileModeCheck} (files more open than the store mode).</li>
 *   <li>{@code LeftoverFiles}: the temporary files a crash left, removed when no live process writes them (opening
 *   a bucket removes its own, creating a bucket the store's) and described for {@code tend kv check}.</li>
 *   <li>{@code EngineStats}: the store's {@code StoreStats} (the store is a {@code StatsSource}): adders incremented
 *   by {@code BatchWriter} (each group-commit batch, each force), {@code Compactor} (each compaction) and
 *   {@code WatchFeed.delivered} (each live entry a watch delivers, timed from its write), and each open bucket's entries
 *   and bytes from its index when loaded.</li>
 *   <li>Small helpers: {@code ConfigDiff} (how two configs differ, for errors), {@code Times} (epoch nanoseconds),
 *   {@code LazyLogger} (starts the logging framework only when something is logged).</li>
 * </ul>
 *
 * <h2>Lock order</h2>
 * A thread holding one of these locks takes only those further down the list.
 * <ol>
 *   <li>The store's open lock ({@code EmbeddedKvStore}): opening a bucket's engine, or closing a stale one.</li>
 *   <li>One of four, never held together: the engine's index-load monitor (one thread loads the index); the group
 *   commit's lock ({@code GroupCommit}: its leader appends a batch; released before the batch's force); the
 *   compaction lock ({@code BucketLock}: an in-process mutex, then byte 1 of {@code lock}; one compaction at a time
 *   in all processes, guards {@code log-<g+1>.tkv.tmp}); the force lock ({@code BucketLock}: an in-process mutex,
 *   then byte 3 of {@code lock}, exclusive to force, one force of the log at a time in all processes, shared to wait
 *   for another process's force; its holder takes the file lock only after its force failed, to cut the log
 *   back).</li>
 *   <li>The hand-off holder's lock ({@code BucketLock}: byte 5 of {@code lock}, tried without waiting by the group
 *   commit's leader, which holds the group commit's lock through the whole round, force included, when it hands
 *   off), then a round's byte (byte 0 or 1 of {@code handoff-wake}, exclusive, before the file lock). A leader
 *   waiting for a round holds only the group commit's lock while it waits for the round's byte shared, for a
 *   moment. A leader claiming its slot takes the file lock, then the slot's lock (byte 16 of the slot in
 *   {@code handoff}, without waiting), which it keeps while its store is open; a holder tries the posted slots'
 *   locks the same way, under the file lock, and lets go at once.</li>
 *   <li>The file lock ({@code BucketLock}: an in-process mutex, then byte 0 of {@code lock}; exclusive, or shared
 *   for a point read waiting out a commit). Guards the files: only its holder appends to or cuts the log, renames
 *   a new generation into place, writes the head or rewrites config.json; so a writer holding it is the only one
 *   in all processes.</li>
 *   <li>The view's read-write lock ({@code LogView}): guards the open generation, the index, the length applied and
 *   the snapshot's length. Reads hold the read lock; the write lock is held for microseconds (applying a forced
 *   batch, replaying, switching generation), never across a force, never while waiting for the file lock.</li>
 *   <li>The snapshot lock ({@code BucketLock}: an in-process mutex, then byte 2 of {@code lock}, shared): held while
 *   writing an index snapshot's temporary file. Removing temporary files a crash left only tries it, holding the
 *   compaction lock and the file lock, and leaves snapshots' when another holds it.</li>
 *   <li>The pending lock ({@code BucketLock}: an in-process count under a monitor, then byte 4 of {@code lock}).
 *   A writer takes it shared holding the file lock, before appending a batch, for the first of this process's
 *   batches in flight, and lets go after the last is published or failed, holding no lock. A holder of the file lock
 *   (on the index load also holding the view's write lock), or a point read as a hint, tries it exclusively without
 *   waiting and lets go at once: got, no process has a batch pending, and what lies beyond the published mark is a
 *   dead writer's orphan. The monitor is held only around those steps, which take nothing else.</li>
 *   <li>Leaves, held briefly and taking none of the above: {@code LockFiles}' monitor (opening, sharing and closing
 *   a locked file's channel; no lock is taken or waited for under it), the engine's monitor that creates a part, the head's
 *   monitor that maps it once ({@code HeadFile}), the store's monitor that starts its executors, the
 *   {@code NotifyFileWatcher}'s, the {@code FeedTail}'s (its followers and cursor; the log is read before it is
 *   taken).</li>
 * </ol>
 * A write's caller waits for its outcome without a lock (the group commit wakes it); a watch's drains are ordered
 * by a counter, not a lock ({@code EmbeddedWatch}).
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>The callers' threads make reads and writes; a writer may lead a group commit and commit others' writes,
 *   and may force the log for other processes' writes too.</li>
 *   <li>{@code tend-kv-watch-<n>}, the store's watch executor (or the caller's): at most
 *   {@code EmbeddedKvStore.WATCH_THREADS} (4) threads for any number of watches, started as work comes when none of
 *   them is free and ended after 30 s idle. Each bucket's {@code FeedTail} reads there, and every watch delivers to its listener there, one
 *   drain at a time per watch (a serial lane). A listener that blocks holds a thread: four blocked hold up the
 *   store's other watches. From the first watch.</li>
 *   <li>{@code tend-kv-fswatch-<n>}: waits for inotify events on watched buckets' directories and wakes their watches
 *   ({@code NotifyFileWatcher}). From the first watch.</li>
 *   <li>{@code tend-kv-maintenance-<n>}, the store's one scheduler thread (or the caller's): the 1-second poll of
 *   watched buckets, which also checks that their directories are still theirs (from the first watch), and
 *   maintenance every 30 seconds (from the first index load) and after a write that made it due.</li>
 * </ul>
 *
 * <h2>Files on disk</h2>
 * One directory per bucket in the store's directory (docs/embedded-engine.md, Files, has the formats):
 * {@code config.json} (a readable copy of the config), {@code log-<g>.tkv} (the log of generation g, whose header
 * holds the config), {@code index-<g>.hint} (an optional index snapshot of it), {@code index-<g>.keys} (the keys
 * holding a value, sorted, written with each snapshot; optional too), {@code head} (memory-mapped:
 * generation, committed length, deleted flag; the appended, forced and published marks), {@code lock} and
 * {@code notify}, and for the hand-off {@code handoff} and {@code handoff-wake}. Transient: {@code log-<g+1>.tkv.tmp}
 * while a compaction writes, {@code *.tmp} beside a snapshot or config being replaced, {@code .tmp-<uuid>} (a bucket
 * being created, renamed into place when complete; its creator holds the file lock of its {@code lock} file) and
 * {@code .deleted-<uuid>} (a removed bucket being deleted) in the store's directory; {@code LeftoverFiles} removes
 * those a crash left. Files are created 0600 and directories 0700, or 0660 and 2770 with the store mode
 * {@code GROUP}, whatever the umask; existing files keep their mode.
 */
package dev.tend.kv.embedded;
