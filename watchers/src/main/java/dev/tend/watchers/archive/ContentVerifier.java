package dev.tend.watchers.archive;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a directory against a {@code sha256sum}-format file inside it ({@code verify}), after checking that file's
 * own SHA-256 ({@code verify_checksum}), as the reference does: every file listed must be present with that checksum
 * (a missing or different file fails the check, naming it); files not listed are not checked; an empty line is
 * skipped, a line that is not {@code HEX  NAME} makes the whole file invalid. Unlike the reference, a listed name that
 * would lead outside the directory ({@code ..}, absolute) fails the check, and the {@code *} that
 * {@code sha256sum --binary} puts before a name is accepted, as {@code sha256sum -c} accepts it.
 */
final class ContentVerifier {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z0-9]+)\\s+(\\S.+)$");

    private ContentVerifier() {
    }

    /**
     * Verifies {@code dir} with the sums file {@code sumsName} inside it, whose SHA-256 must be {@code sumsChecksum};
     * returns normally when everything matches.
     */
    static void verify(Path dir, String sumsName, String sumsChecksum) throws ArchiveFailure {
        if (sumsChecksum == null || sumsChecksum.isBlank()) {
            throw new ArchiveFailure("verify_checksum is empty");
        }
        Path sums = dir.resolve(sumsName);
        if (!Files.isRegularFile(sums, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArchiveFailure("checksums file " + sumsName + " does not exist in " + dir);
        }
        try {
            String actual = Sha256.of(sums);
            if (!actual.equalsIgnoreCase(sumsChecksum.strip())) {
                throw new ArchiveFailure("checksums file " + sumsName + " has checksum " + actual + ", expected "
                        + sumsChecksum.strip());
            }
            List<String> failed = check(dir, sums);
            if (!failed.isEmpty()) {
                throw new ArchiveFailure("contents did not pass verification: " + String.join(", ", failed));
            }
        } catch (IOException e) {
            throw new ArchiveFailure("cannot verify " + dir + ": " + IoText.of(e), e);
        }
    }

    /** The listed files that are missing or differ, each as "NAME (missing|mismatch|outside)". */
    private static List<String> check(Path dir, Path sums) throws IOException, ArchiveFailure {
        Path root = dir.toAbsolutePath().normalize();
        List<String> failed = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(sums, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    throw new ArchiveFailure("invalid sums file " + sums.getFileName() + ": malformed line " + number);
                }
                String name = m.group(2).startsWith("*") ? m.group(2).substring(1) : m.group(2);
                Path file = root.resolve(name).normalize();
                if (!file.startsWith(root) || name.startsWith("/")) {
                    failed.add(name + " (outside)");
                } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    failed.add(name + " (missing)");
                } else if (!Sha256.matches(file, m.group(1))) {
                    failed.add(name + " (mismatch)");
                }
            }
        }
        return failed;
    }
}
