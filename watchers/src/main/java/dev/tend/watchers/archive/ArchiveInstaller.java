package dev.tend.watchers.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;

/**
 * The work of one archive watcher run, blocking: {@link #check} looks at what is in place, {@link #deploy} fetches,
 * verifies, extracts and swaps in a new copy.
 *
 * <p>A deployment works in a new private directory {@code target/tmp/deploy-*} (0700; the agent does not load
 * machines from {@code tmp}): the archive is fetched there, its SHA-256 checked against {@code checksum}, it is
 * extracted beside it, the extracted {@code creates} checked with {@code verify} when set, and renamed into
 * {@code target} ({@link DirectorySwap}). That directory is removed whatever happens; {@code target/tmp} itself stays,
 * as other watchers with the same target may be using it.
 */
final class ArchiveInstaller {

    private final SourceFetcher fetcher;

    ArchiveInstaller(SourceFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** Whether {@code target/creates} is in place and, with {@code verify}, matches its sums file. */
    InstalledState check(ArchiveSpec spec) {
        return check(spec.createsPath(), spec.verifies() ? spec.verify() : "", spec.verifyChecksum());
    }

    /**
     * Whether {@code creates} is a directory and, when {@code verify} is not empty, holds that sums file, whose SHA-256
     * is {@code verifyChecksum}, and matches it.
     */
    static InstalledState check(Path creates, String verify, String verifyChecksum) {
        if (!Files.isDirectory(creates, LinkOption.NOFOLLOW_LINKS)) {
            return new InstalledState(InstalledState.Kind.NO_CREATES, creates + " is not a directory");
        }
        if (verify == null || verify.isBlank()) {
            return InstalledState.VERIFIED;
        }
        if (!Files.exists(creates.resolve(verify), LinkOption.NOFOLLOW_LINKS)) {
            return new InstalledState(InstalledState.Kind.NO_CHECKSUMS,
                    "checksums file " + verify + " does not exist in " + creates);
        }
        try {
            ContentVerifier.verify(creates, verify, verifyChecksum);
            return InstalledState.VERIFIED;
        } catch (ArchiveFailure e) {
            return new InstalledState(InstalledState.Kind.VERIFY_FAILED, e.getMessage());
        }
    }

    /** Fetches, verifies, extracts and swaps in {@code spec}'s archive; nothing is left behind on failure. */
    void deploy(ArchiveSpec spec) throws ArchiveFailure {
        deploy(spec, new CompletableFuture<>());
    }

    /**
     * As {@link #deploy(ArchiveSpec)}; a download ends with a {@link java.util.concurrent.CancellationException} when
     * {@code stopping} completes, and nothing is left behind.
     */
    void deploy(ArchiveSpec spec, CompletableFuture<?> stopping) throws ArchiveFailure {
        Path scratch = scratch(spec.target());
        try {
            Path archive = scratch.resolve("archive.tgz");
            fetcher.fetch(spec.source(), archive, spec.fetch(), stopping);
            checkArchive(archive, spec.checksum());
            Path extracted = new TarGzExtractor(spec.limits()).extract(archive, scratch);
            Path fresh = extracted.resolve(spec.creates());
            if (!Files.isDirectory(fresh, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArchiveFailure("archive has no directory " + spec.creates());
            }
            if (spec.verifies()) {
                ContentVerifier.verify(fresh, spec.verify(), spec.verifyChecksum());
            }
            DirectorySwap.swap(fresh, spec.target(), spec.creates(), scratch);
        } finally {
            Trees.deleteQuietly(scratch);
        }
    }

    private static void checkArchive(Path archive, String checksum) throws ArchiveFailure {
        try {
            String actual = Sha256.of(archive);
            if (!actual.equalsIgnoreCase(checksum.strip())) {
                throw new ArchiveFailure("archive checksum " + actual + " does not match " + checksum.strip());
            }
        } catch (IOException e) {
            throw new ArchiveFailure("cannot checksum the archive: " + IoText.of(e), e);
        }
    }

    private static Path scratch(Path target) throws ArchiveFailure {
        Path tmp = target.resolve("tmp");
        try {
            Files.createDirectories(tmp,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return Files.createTempDirectory(tmp, "deploy-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new ArchiveFailure("cannot make a temporary directory in " + tmp + ": " + IoText.of(e), e);
        }
    }
}
