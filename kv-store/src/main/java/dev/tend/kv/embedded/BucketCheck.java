package dev.tend.kv.embedded;

import dev.tend.kv.KvException;
import dev.tend.kv.Names;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.support.FileModes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies a bucket's files without changing them: the config, every log's header, every record's frame and
 * checksum, that revisions rise strictly, that the index snapshot and the sorted keys file agree with the log, and
 * that no file or directory is more open than the store's mode ({@link FileModeCheck}). A torn tail past the committed
 * length (an interrupted write the next writer will cut), temporary files a crash left ({@link LeftoverFiles}) and an
 * unusable snapshot or sorted keys file are reported as notes, not as damage.
 */
final class BucketCheck {
    private static final Pattern LOG_NAME = Pattern.compile("log-(\\d+)\\.tkv");

    private BucketCheck() {
    }

    static CheckReport run(StorageIo io, Path root, String bucket, FileModes modes) {
        Names.checkBucketName(bucket);
        Path dir = root.resolve(bucket);
        if (!Files.isDirectory(dir)) {
            throw new UnknownBucketException(bucket);
        }
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long records = 0;
        long bytes = 0;
        try {
            ConfigFile.read(io, dir);
        } catch (KvException | IOException e) {
            problems.add(e.getMessage());
        }
        List<Long> generations = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = LOG_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    generations.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            problems.add("cannot list " + dir + ": " + e.getMessage());
        }
        generations.sort(null);
        if (generations.isEmpty()) {
            problems.add("no log file in " + dir);
        }
        if (generations.size() > 1) {
            notes.add("older log generations " + generations.subList(0, generations.size() - 1)
                    + " are left over from an interrupted compaction");
        }
        HeadFile.State head = readHead(dir, notes);
        notes.addAll(LeftoverFiles.describe(root, dir));
        problems.addAll(FileModeCheck.widerThanAllowed(root, dir, modes));
        for (long g : generations) {
            Path p = dir.resolve("log-" + g + ".tkv");
            try (DataFile f = io.open(p, false)) {
                long size = f.size();
                LogFormat.Header header = LogFormat.Header.read(f, p);
                LogReader r = new LogReader(f, header.length(), size);
                long last = 0;
                LogRecord rec;
                while ((rec = r.next()) != null) {
                    if (rec.revision() <= last) {
                        problems.add(p + ": revision " + rec.revision() + " at offset " + rec.offset()
                                + " does not follow revision " + last);
                    }
                    last = rec.revision();
                    records++;
                    bytes += rec.length();
                }
                if (r.position() < size) {
                    long committed = head != null && head.generation() == g ? head.length() : size;
                    String what = p + ": " + (size - r.position()) + " bytes at offset " + r.position()
                            + " are not an intact record";
                    if (r.position() >= committed) {
                        notes.add(what + " (an uncommitted, interrupted write; the next writer cuts it)");
                    } else {
                        problems.add(what);
                    }
                }
                if (g == generations.get(generations.size() - 1)) {
                    checkSnapshot(io, dir, g, f, header.length(), notes);
                    checkSortedKeys(io, dir, new Generation(g, p, f, header), notes);
                }
                if (header.generation() != g) {
                    problems.add(p + ": its header says generation " + header.generation());
                }
            } catch (KvException | IOException e) {
                problems.add(e.getMessage() == null ? p + ": " + e : e.getMessage());
            }
        }
        return new CheckReport(bucket, records, bytes, problems, notes);
    }

    private static HeadFile.State readHead(Path dir, List<String> notes) {
        try (HeadFile h = HeadFile.open(dir, false)) {
            HeadFile.State s = h == null ? null : h.read();
            if (s == null) {
                notes.add("the head file is missing or stale; the next writer rebuilds it from the log");
            }
            return s;
        } catch (IOException e) {
            notes.add("the head file cannot be read: " + e.getMessage());
            return null;
        }
    }

    private static void checkSnapshot(StorageIo io, Path dir, long g, DataFile log, long start,
                                      List<String> notes) {
        if (Files.exists(HintFile.path(dir, g)) && HintFile.read(io, dir, g, log, start) == null) {
            notes.add(HintFile.path(dir, g) + " is damaged or stale and will be ignored (the log is replayed)");
        }
    }

    private static void checkSortedKeys(StorageIo io, Path dir, Generation g, List<String> notes) {
        Path p = SortedKeysFile.path(dir, g.number());
        if (!Files.exists(p)) {
            return;
        }
        try {
            if (SortedKeysFile.read(io, dir, g, g.log().size()) == null) {
                notes.add(p + " is of a later format version and will be ignored (keys are sorted from the snapshot)");
            }
        } catch (IOException | RuntimeException e) {
            notes.add(p + " is damaged or stale and will be ignored (keys are sorted from the snapshot): "
                    + e.getMessage());
        }
    }
}
