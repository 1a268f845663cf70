package dev.tend.machine.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which entries of a machines directory are machines (docs/machines.md, "A machine directory"): directories, except
 * the staging names.
 */
final class MachineDirectories {

    static final String MACHINE_FILE = "machine.yaml";

    private MachineDirectories() {
    }

    /** Whether a sub directory of this name may hold a machine: not {@code tmp}, not hidden, not {@code *-temp}. */
    static boolean eligibleName(String name) {
        return !name.equals("tmp") && !name.startsWith(".") && !name.endsWith("-temp");
    }

    /** The names of the machine directories in {@code machines}, sorted (the order decides duplicate names). */
    static List<String> list(Path machines) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(machines)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (eligibleName(name) && Files.isDirectory(entry)) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        return names;
    }
}
