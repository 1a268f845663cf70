/**
 * The {@code archive} watcher type: keeps a directory, unpacked from a {@code tar.gz}, in place under a target
 * directory, and replaces it when it is missing or no longer matches its checksums. Sources: {@code http://},
 * {@code https://}, {@code file:///PATH} and {@code kv://BUCKET/KEY} (the value of a key in the agent's store).
 *
 * <p>Entry point: {@link dev.tend.watchers.archive.ArchiveWatcherFactory} (properties, load checks, {@code create}).
 * Read {@link dev.tend.watchers.archive.ArchiveWatcher} first (when runs happen, what an outcome does), then
 * {@link dev.tend.watchers.archive.ArchiveRun} (one run: check, templates, governor
 * ({@link dev.tend.watchers.archive.ArchiveGovernor}), one deployment at a time per directory
 * ({@link dev.tend.watchers.archive.DeploymentQueue})). {@link dev.tend.watchers.archive.ArchiveInstaller}'s
 * {@code check} looks at what is in place and its {@code deploy} runs the steps, each a class of its own:
 * {@link dev.tend.watchers.archive.SourceFetcher} fetches from {@code file:///}, {@code http://} or {@code https://}
 * (the JDK's HTTP client, with {@link dev.tend.watchers.archive.CappedFileSubscriber} capping the body) or, through
 * {@link dev.tend.watchers.archive.KvArchiveSource}, {@code kv://}, into a private temporary directory; the archive's
 * SHA-256 is checked; {@link dev.tend.watchers.archive.TarGzExtractor} extracts it (Apache Commons Compress reads the
 * format; the extractor decides what is allowed); {@link dev.tend.watchers.archive.ContentVerifier} checks the result
 * against its {@code sha256sum} file; and {@link dev.tend.watchers.archive.DirectorySwap} renames it into place.
 *
 * <p>Limits ({@link dev.tend.watchers.archive.ArchiveLimits#DEFAULT}): an archive of at most 64 MiB (the download
 * stops there; a {@code kv://} value over it is refused with its size), at most 256 MiB once decompressed (the whole
 * tar stream), at most 64 MiB for any one file, and at most 10,000 entries. Only regular files and directories are
 * extracted; a name containing {@code ..} or starting with {@code /}, a link, a device, a FIFO or any other entry type
 * fails the whole archive, with a one-line message naming the entry.
 *
 * <p>Threads: {@code ArchiveWatcher}'s calls, timers and fields are on the watcher's lane; a run blocks on I/O (files
 * hashed, a download, a governor's wait, another deployment to the same directory) and is waiting work
 * ({@code runWaiting}) whose result comes back to the lane. A factory's {@code DeploymentQueue} is shared by its
 * watchers and locks itself; the other classes keep no state between calls.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code archive}.
 */
package dev.tend.watchers.archive;
