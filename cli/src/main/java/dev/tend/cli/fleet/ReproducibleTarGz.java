package dev.tend.cli.fleet;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@code tar.gz} whose bytes depend only on the entries' names, kinds, executable bits and contents: every
 * entry has the modification time {@link #MTIME} (the epoch), uid and gid 0, empty user and group names, and mode
 * 0755 (directories, executable files) or 0644; long names and large sizes use POSIX (pax) headers, which carry no
 * time of their own; the gzip header has no time and no file name (the JDK's {@link GZIPOutputStream} writes
 * neither). The caller gives the entries in the order they are written.
 */
final class ReproducibleTarGz {

    static final FileTime MTIME = FileTime.fromMillis(0);

    /** One entry: its name in the archive (a directory's ends with {@code /}) and, for a file, its content. */
    record Entry(String name, Path file, byte[] content, boolean executable) {

        static Entry directory(String name) {
            return new Entry(name.endsWith("/") ? name : name + "/", null, null, true);
        }

        static Entry file(String name, Path file, boolean executable) {
            return new Entry(name, file, null, executable);
        }

        static Entry bytes(String name, byte[] content) {
            return new Entry(name, null, content, false);
        }

        boolean isDirectory() {
            return file == null && content == null;
        }
    }

    private ReproducibleTarGz() {
    }

    /** Writes {@code entries}, in that order, as a gzipped tar to {@code out} (left open). */
    static void write(List<Entry> entries, OutputStream out) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (Entry e : entries) {
            TarArchiveEntry t = new TarArchiveEntry(e.name());
            t.setModTime(MTIME);
            t.setUserId(0);
            t.setGroupId(0);
            t.setUserName("");
            t.setGroupName("");
            if (e.isDirectory()) {
                t.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
                tar.putArchiveEntry(t);
            } else {
                t.setMode(e.executable() ? 0100755 : 0100644);
                if (e.content() != null) {
                    t.setSize(e.content().length);
                    tar.putArchiveEntry(t);
                    tar.write(e.content());
                } else {
                    t.setSize(Files.size(e.file()));
                    tar.putArchiveEntry(t);
                    Files.copy(e.file(), tar);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        gzip.finish();
        out.flush();
    }
}
