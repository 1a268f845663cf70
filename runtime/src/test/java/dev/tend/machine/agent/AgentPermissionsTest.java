package dev.tend.machine.agent;

import ch.qos.logback.classic.Level;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.tend.machine.agent.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Strict permissions, as an agent running as root applies them: a machine anyone but root can change is refused. The
 * checks of modes work for any user (the file's owner is then not root either, so those tests need root: CI runs as
 * root); changing a file's owner needs root.
 */
@ResourceLock(value = "dev.tend.machine.agent.Reconciler", mode = ResourceAccessMode.READ_WRITE)
class AgentPermissionsTest {

    private static final String HINT = " (--insecure-permissions turns this check off, for development)";

    @TempDir
    Path tmp;

    private MachineDirs dirs;
    private Agent agent;

    @BeforeEach
    void setUp() {
        assumeTrue(AgentPaths.isRoot(), "owned-by-root checks need the tests to run as root");
        dirs = new MachineDirs(tmp.resolve("machines"));
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
    }

    private Agent start(boolean strict) throws Exception {
        agent = Agent.builder(MachineSettings.builder()
                        .stateDirectory(tmp.resolve("state"))
                        .identity("test-node")
                        .watchers(new ProbeWatchers().registry())
                        .build())
                .machines(dirs.root())
                .strictPermissions(strict)
                .build();
        agent.start();
        return agent;
    }

    private List<String> names() {
        return agent.machines().stream().map(m -> m.definition().name()).toList();
    }

    private static void chmod(Path p, String mode) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    @Test
    void refusesAWorldWritableMachineFileUntilItIsFixed() throws Exception {
        dirs.add("safe", "safe");
        Path file = dirs.add("open", "open");
        chmod(file, "rw-rw-rw-");
        try (LogCapture log = LogCapture.of(Reconciler.class)) {
            start(true);
            assertThat(names()).containsExactly("safe");
            assertThat(log.lines(Level.ERROR)).containsExactly("cannot load machine: refusing "
                    + file.toAbsolutePath() + ": it is writable by group and others (rw-rw-rw-); run chmod go-w "
                    + file.toAbsolutePath() + HINT);
            agent.rescan();
            assertThat(log.lines(Level.ERROR)).hasSize(1);
        }
        chmod(file, "rw-r--r--");
        await("the machine once its file is safe", () -> names().equals(List.of("open", "safe")));
    }

    @Test
    void refusesAGroupWritableMachineDirectory() throws Exception {
        Path file = dirs.add("open", "open");
        chmod(file.getParent(), "rwxrwxr-x");
        try (LogCapture log = LogCapture.of(Reconciler.class)) {
            start(true);
            assertThat(names()).isEmpty();
            assertThat(log.lines(Level.ERROR)).singleElement().asString()
                    .contains("refusing " + file.getParent().toAbsolutePath() + ": it is writable by its group");
        }
    }

    @Test
    void stopsARunningMachineWhoseFileBecomesWritable() throws Exception {
        Path file = dirs.add("one", "one");
        start(true);
        assertThat(names()).containsExactly("one");
        chmod(file, "rw-r--rw-");
        await("the machine stopped", () -> names().isEmpty());
    }

    @Test
    void refusesAMachineFileNotOwnedByRoot() throws Exception {
        Path file = dirs.add("theirs", "theirs");
        Files.setAttribute(file, "unix:uid", 65534);
        try (LogCapture log = LogCapture.of(Reconciler.class)) {
            start(true);
            assertThat(names()).isEmpty();
            assertThat(log.lines(Level.ERROR)).containsExactly("cannot load machine: refusing "
                    + file.toAbsolutePath() + ": it is owned by uid 65534, not root; run chown root "
                    + file.toAbsolutePath() + HINT);
        }
        Files.setAttribute(file, "unix:uid", 0);
        await("the machine once root owns it", () -> names().equals(List.of("theirs")));
    }

    @Test
    void refusesToStartOnAWorldWritableMachinesDirectory() throws Exception {
        Files.createDirectories(dirs.root());
        chmod(dirs.root(), "rwxrwxrwx");
        assertThatThrownBy(() -> start(true))
                .isInstanceOf(AgentException.class)
                .hasMessage("refusing " + dirs.root().toAbsolutePath() + ": it is writable by group and others "
                        + "(rwxrwxrwx); run chmod go-w " + dirs.root().toAbsolutePath() + HINT);
    }

    @Test
    void theCheckCanBeTurnedOff() throws Exception {
        Path file = dirs.add("open", "open");
        chmod(file, "rw-rw-rw-");
        Files.setAttribute(file, "unix:uid", 65534);
        start(false);
        assertThat(names()).containsExactly("open");
    }
}
