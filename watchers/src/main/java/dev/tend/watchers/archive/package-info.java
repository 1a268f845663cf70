/**
 * The core of the {@code archive} watcher type (not registered yet: the agent still refuses the type at load): keeping
 * a directory, unpacked from a {@code tar.gz}, in place under a target directory, and replacing it when it is missing
 * or no longer matches its checksums.
 *
 * <p>Entry point: {@link dev.tend.watchers.archive.ArchiveInstaller}, whose {@code check} looks at what is in place
 * and whose {@code deploy} runs the steps, each a class of its own: {@link dev.tend.watchers.archive.SourceFetcher}
 * fetches from {@code file:///}, {@code http://} or {@code https://} (the JDK's HTTP client, with
 * {@link dev.tend.watchers.archive.CappedFileSubscriber} capping the body) into a private temporary directory; the
 * archive's SHA-256 is checked; {@link dev.tend.watchers.archive.TarGzExtractor} extracts it (Apache Commons
 * Compress reads the format; the extractor decides what is allowed);
 * {@link dev.tend.watchers.archive.ContentVerifier} checks the result against its {@code sha256sum} file; and
 * {@link dev.tend.watchers.archive.DirectorySwap} renames it into place.
 *
 * <p>Limits ({@link dev.tend.watchers.archive.ArchiveLimits#DEFAULT}): an archive of at most 64 MiB (the download
 * stops there), at most 256 MiB once decompressed (the whole tar stream), at most 64 MiB for any one file, and at
 * most 10,000 entries. Only regular files and directories are extracted; a name containing {@code ..} or starting
 * with {@code /}, a link, a device, a FIFO or any other entry type fails the whole archive, with a one-line message
 * naming the entry.
 *
 * <p>Threads: everything here blocks on I/O and keeps no state between calls; the caller runs it off the watcher's
 * lane, one deployment at a time per target directory and {@code creates}.
 */
package dev.tend.watchers.archive;
