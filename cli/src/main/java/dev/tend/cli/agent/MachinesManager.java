package dev.tend.cli.agent;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tend.units.Durations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The built-in manager of {@code tend agent --manage-machines}: Choria's {@code plugins_manager} machine (initial state
 * {@code INITIAL}; a {@code kv} watcher reads the specification into the machine's data and moves it to {@code MANAGE};
 * there a second one keeps the data current and a {@code plugins} watcher writes a manager machine per entry into
 * {@code target}; {@code maintenance} and {@code resume}), written as {@value #NAME}{@code /machine.yaml} into the
 * agent's machines directory, which runs it as any other machine. Unlike Choria's, whose {@code kv} watchers poll,
 * they watch the key ({@code mode: watch}), so a new specification is in the data at once and the {@code plugins}
 * watcher acts on it at its next check.
 *
 * @param bucket        the specification's bucket (Choria's {@code plugin.machines.bucket})
 * @param key           its key ({@code plugin.machines.key})
 * @param publicKey     the hex public key the specification must be signed with; empty: not checked
 *                      ({@code plugin.machines.signing_key})
 * @param checkInterval the {@code plugins} watcher's interval and the manager machines' ({@code .check_interval}; theirs
 *                      is at least {@link #MIN_ARCHIVE_INTERVAL}, the {@code archive} watcher's shortest)
 * @param purge         remove the manager machines of entries no longer listed ({@code .purge})
 * @param target        where the manager machines and the machines they install go
 */
record MachinesManager(String bucket, String key, String publicKey, Duration checkInterval, boolean purge,
                       Path target) {

    /** The machine's name (and its directory's), Choria's. */
    static final String NAME = "plugins_manager";

    /** The first line of the file written: a file without it is the operator's own, never replaced or removed. */
    static final String MARKER = "# Written by tend agent --manage-machines at each start; edits are lost.";

    static final String DEFAULT_BUCKET = "CHORIA_PLUGINS";
    static final String DEFAULT_KEY = "plugins";
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(30);
    /** The {@code plugins} watcher's shortest interval. */
    static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(2);

    /** The shortest interval of an {@code archive} watcher, so of the manager machines (plugin_manage_interval). */
    static final Duration MIN_ARCHIVE_INTERVAL = Duration.ofSeconds(10);

    /** The machine.yaml. */
    String machineYaml() {
        String interval = Durations.format(checkInterval);
        String manage = Durations.format(checkInterval.compareTo(MIN_ARCHIVE_INTERVAL) < 0 ? MIN_ARCHIVE_INTERVAL
                : checkInterval);
        return MARKER + "\n"
                + "name: " + NAME + "\n"
                + "version: 1.0.0\n"
                + "initial_state: INITIAL\n"
                + "transitions:\n"
                + "  - name: maintenance\n"
                + "    from: [MANAGE, INITIAL]\n"
                + "    destination: MAINTENANCE\n"
                + "    description: Stops actively managing machines\n"
                + "  - name: resume\n"
                + "    from: [MAINTENANCE]\n"
                + "    destination: MANAGE\n"
                + "    description: Resume normal operations after being in maintenance mode\n"
                + "  - name: manage_plugins\n"
                + "    from: [INITIAL]\n"
                + "    destination: MANAGE\n"
                + "    description: Actively manage machines\n"
                + "watchers:\n"
                + "  - name: initial_specification\n"
                + "    type: kv\n"
                + "    state_match: [INITIAL]\n"
                + "    success_transition: manage_plugins\n"
                + "    properties:\n"
                + "      bucket: " + quote(bucket) + "\n"
                + "      key: " + quote(key) + "\n"
                + "      mode: watch\n"
                + "      bucket_prefix: false\n"
                + "      on_successful_get: true\n"
                + "  - name: specification\n"
                + "    type: kv\n"
                + "    state_match: [MANAGE]\n"
                + "    properties:\n"
                + "      bucket: " + quote(bucket) + "\n"
                + "      key: " + quote(key) + "\n"
                + "      mode: watch\n"
                + "      bucket_prefix: false\n"
                + "  - name: manage_machines\n"
                + "    type: plugins\n"
                + "    state_match: [MANAGE]\n"
                + "    interval: " + interval + "\n"
                + "    properties:\n"
                + "      data_item: " + quote(key) + "\n"
                + "      purge_unknown: " + purge + "\n"
                + "      manager_machine_prefix: mm\n"
                + "      plugin_manage_interval: " + manage + "\n"
                + "      public_key: " + quote(publicKey) + "\n"
                + "      plugins_directory: " + quote(target.toAbsolutePath().toString()) + "\n";
    }

    /**
     * Writes the machine into {@code machines} unless the same file is there already (the agent would restart it).
     *
     * @return true when the file was written
     * @throws IOException when it cannot be, or when {@code machines/plugins_manager/machine.yaml} is the operator's
     */
    boolean install(Path machines) throws IOException {
        Path dir = machines.resolve(NAME);
        Path file = dir.resolve("machine.yaml");
        byte[] yaml = machineYaml().getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file)) {
            if (!written(file)) {
                throw new IOException(file + " is not the one tend agent --manage-machines writes (its first line is "
                        + "not \"" + MARKER + "\"): move it away to run the built-in manager");
            }
            if (java.util.Arrays.equals(Files.readAllBytes(file), yaml)) {
                return false;
            }
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".machine.yaml", ".tmp");
        try {
            Files.write(temp, yaml);
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return true;
    }

    /**
     * Removes the machine an earlier {@code --manage-machines} wrote, when the agent runs without it now; an
     * operator's own {@value #NAME} is left alone.
     *
     * @return true when it was removed
     */
    static boolean uninstall(Path machines) throws IOException {
        Path dir = machines.resolve(NAME);
        Path file = dir.resolve("machine.yaml");
        if (!Files.isRegularFile(file) || !written(file)) {
            return false;
        }
        Files.delete(file);
        try (var left = Files.list(dir)) {
            if (left.findAny().isEmpty()) {
                Files.delete(dir);
            }
        }
        return true;
    }

    private static boolean written(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().map(MARKER::equals).orElse(false);
        } catch (java.io.UncheckedIOException e) {
            return false; // not UTF-8: not ours
        }
    }

    /** A YAML double-quoted scalar (JSON's string syntax, which YAML reads the same). */
    private static String quote(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }
}
