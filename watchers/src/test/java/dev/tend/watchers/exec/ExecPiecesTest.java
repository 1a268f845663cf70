package dev.tend.watchers.exec;

import dev.tend.watchers.process.CommandResolver;
import dev.tend.watchers.process.OutputHead;
import dev.tend.watchers.process.OutputTail;
import dev.tend.watchers.process.ProcessTree;
import dev.tend.watchers.process.RunFailure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exec watcher's pieces on their own. */
@ResourceLock(value = "dev.tend.machine.m.check", mode = ResourceAccessMode.READ)
class ExecPiecesTest {

    @TempDir
    Path dir;

    @Test
    void outputTailKeepsTheLastBytesWhateverTheChunks() {
        for (int capacity : new int[] {10, 1000}) {
            OutputTail tail = new OutputTail(capacity);
            StringBuilder all = new StringBuilder();
            int n = 0;
            for (int size : new int[] {3, 0, 7, 1, 25, 4, 9, 10, 2, 600, 300, 150, 999, 1001, 5}) {
                StringBuilder chunk = new StringBuilder();
                for (int i = 0; i < size; i++) {
                    chunk.append((char) ('a' + n++ % 26));
                }
                byte[] bytes = ("__" + chunk + "__").getBytes(StandardCharsets.US_ASCII);
                tail.write(bytes, 2, size); // only the middle of the array
                all.append(chunk);
                String expected = all.substring(Math.max(0, all.length() - capacity));
                assertThat(tail.text()).as("capacity %d after %d bytes", capacity, all.length()).isEqualTo(expected);
            }
            assertThat(tail.total()).isEqualTo(all.length());
        }
        OutputTail none = new OutputTail(0);
        none.write(new byte[5], 0, 5);
        assertThat(none.bytes()).isEmpty();
        assertThat(none.total()).isEqualTo(5);
    }

    @Test
    void outputHeadKeepsTheFirstBytesAndTellsItOverflowed() {
        OutputHead head = new OutputHead(5);
        head.write("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        assertThat(head.overflowed()).isFalse();
        head.write("defg".getBytes(StandardCharsets.US_ASCII), 0, 4);
        head.write("h".getBytes(StandardCharsets.US_ASCII), 0, 1);
        assertThat(new String(head.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
        assertThat(head.overflowed()).isTrue();
    }

    @Test
    void pathsResolveAgainstTheMachineDirectoryAndBareNamesThroughPathFirst() throws Exception {
        Path machine = Files.createDirectories(dir.resolve("machine"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        ExecMachine.script(machine.resolve("tool"), "#!/bin/sh\n");
        ExecMachine.script(machine.resolve("sub/run.sh"), "#!/bin/sh\n");
        ExecMachine.script(bin.resolve("tool"), "#!/bin/sh\n");
        String path = bin + ":/nonexistent";

        assertThat(CommandResolver.resolve("./sub/run.sh", path, machine)).isEqualTo(machine.resolve("sub/run.sh"));
        assertThat(CommandResolver.resolve("sub/../sub/run.sh", path, machine)).isEqualTo(machine.resolve("sub/run.sh"));
        assertThat(CommandResolver.resolve(bin + "/tool", path, machine)).isEqualTo(bin.resolve("tool"));
        assertThat(CommandResolver.resolve("tool", path, machine)).as("PATH first").isEqualTo(bin.resolve("tool"));
        assertThat(CommandResolver.resolve("tool", "/nonexistent", machine)).as("then the machine directory")
                .isEqualTo(machine.resolve("tool"));
        assertThat(CommandResolver.resolve("tool", ":/nonexistent", machine)).as("an empty entry is the machine dir")
                .isEqualTo(machine.resolve("tool"));
        assertThat(CommandResolver.resolve("run.sh", "sub", machine)).as("relative entries from the machine dir")
                .isEqualTo(machine.resolve("sub/run.sh"));
    }

    @Test
    void unrunnableCommandsSayWhy() throws Exception {
        Path machine = Files.createDirectories(dir.resolve("machine"));
        Files.createDirectories(machine.resolve("adir"));
        Files.writeString(machine.resolve("plain"), "x");
        assertThatThrownBy(() -> CommandResolver.resolve("./missing.sh", "/bin", machine)).hasMessage(
                "command \"./missing.sh\" not found: " + machine.resolve("missing.sh") + " does not exist");
        assertThatThrownBy(() -> CommandResolver.resolve("missing", "/nonexistent", machine)).hasMessage(
                "command \"missing\" not found in PATH (/nonexistent) or the machine directory");
        assertThatThrownBy(() -> CommandResolver.resolve("./adir", "/bin", machine)).hasMessage(
                "command \"./adir\" is a directory: " + machine.resolve("adir"));
        assertThatThrownBy(() -> CommandResolver.resolve("plain", "/nonexistent", machine)).hasMessage(
                "command \"plain\" is not executable: " + machine.resolve("plain")
                        + " (chmod +x it, or run it through its interpreter, e.g. sh plain)");
        assertThatThrownBy(() -> CommandResolver.resolve("nul\0name", "/bin", machine))
                .hasMessageStartingWith("command \"nul\\x00name\" is not a valid file name");
    }

    @Test
    void environmentItemsAndInheritedNamesAreChecked() {
        assertThat(ChildEnvironment.itemProblem("A=1")).isEmpty();
        assertThat(ChildEnvironment.itemProblem("_a9=")).isEmpty();
        assertThat(ChildEnvironment.itemProblem("A=b=c")).isEmpty();
        assertThat(ChildEnvironment.itemProblem("{{ lookup \"data.name\" \"X\" }}=1")).as("checked when rendered")
                .isEmpty();
        assertThat(ChildEnvironment.itemProblem("{{ lookup \"data.pair\" \"X=1\" }}")).isEmpty();
        assertThat(ChildEnvironment.itemProblem("A")).contains("\"A\" must be VAR=value");
        assertThat(ChildEnvironment.itemProblem("=1")).contains("\"=1\": \"\" is not a variable name (letters, digits"
                + " and _, not starting with a digit)");
        assertThat(ChildEnvironment.itemProblem("A-B=1")).isPresent();
        assertThat(ChildEnvironment.inheritProblem("HOME")).isEmpty();
        assertThat(ChildEnvironment.inheritProblem("WATCHER_DATA")).contains("WATCHER_DATA is set by Tend for every"
                + " command and cannot be inherited");
        assertThat(ChildEnvironment.inheritProblem("9X")).isPresent();
    }

    @Test
    void environmentOrderAndOverrides() throws Exception {
        ExecProperties p = new ExecProperties("x", ExecProperties.DEFAULT_TIMEOUT,
                List.of("B=2", "PATH=/only", "B=3", "WATCHER_DATA=/mine"), List.of("LANG", "ABSENT"), false, false,
                false, false);
        ChildEnvironment env = ChildEnvironment.prepare(p, "m", "w", dir,
                Map.of("PATH", "/usr/bin", "LANG", "C", "OTHER", "x"), text -> text);
        assertThat(env.path()).isEqualTo("/only");
        Map<String, String> map = env.toMap(Path.of("/d.json"), Path.of("/f.json"));
        assertThat(map).containsExactly(Map.entry("LANG", "C"), Map.entry("MACHINE_WATCHER_NAME", "w"),
                Map.entry("MACHINE_NAME", "m"), Map.entry("WATCHER_FACTS", "/f.json"), Map.entry("PATH", "/only"),
                Map.entry("B", "3"), Map.entry("WATCHER_DATA", "/mine"));

        ExecProperties plain = new ExecProperties("x", ExecProperties.DEFAULT_TIMEOUT, List.of(), List.of(), false,
                false, false, false);
        ChildEnvironment noPath = ChildEnvironment.prepare(plain, "m", "w", dir, Map.of(), t -> t);
        assertThat(noPath.path()).as("no agent PATH: the machine directory alone").isEqualTo(dir.toString());
    }

    @Test
    void aRenderedItemMustStillBeAnAssignment() {
        ExecProperties p = new ExecProperties("x", ExecProperties.DEFAULT_TIMEOUT, List.of("OK=1", "{{x}}"),
                List.of(), false, false, false, false);
        assertThatThrownBy(() -> ChildEnvironment.prepare(p, "m", "w", dir, Map.of(), text -> text.replace("{{x}}",
                "no assignment"))).isInstanceOf(RunFailure.class)
                .hasMessage("environment item 2 renders to \"no assignment\", which is not VAR=value");
    }

    @Test
    void runFilesArePrivateAndGoneAfterClose() throws Exception {
        RunFiles files = RunFiles.create(dir, Map.of("k", List.of(1, "two")), Map.of(), LoggerFactory.getLogger("t"));
        assertThat(Files.readString(files.data())).isEqualTo("{\"k\":[1,\"two\"]}");
        assertThat(Files.readString(files.facts())).isEqualTo("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.data()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.data().getParent())))
                .isEqualTo("rwx------");
        files.close();
        files.close();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void runFilesWriteNumbersAsChoriaDoes() throws Exception {
        try (RunFiles files = RunFiles.create(dir, Map.of("k", List.of(22194048.0, 0.5, 1e21)), Map.of("f", 1e-7),
                LoggerFactory.getLogger("t"))) {
            assertThat(Files.readString(files.data())).isEqualTo("{\"k\":[22194048,0.5,1e+21]}");
            assertThat(Files.readString(files.facts())).isEqualTo("{\"f\":1e-7}");
        }
    }

    @Test
    void runFilesThatCannotBeWrittenAreAnErrorAndLeaveNothing() {
        Path missing = dir.resolve("no/such/dir");
        assertThatThrownBy(() -> RunFiles.create(missing, Map.of(), Map.of(), LoggerFactory.getLogger("t")))
                .isInstanceOf(RunFailure.class)
                .hasMessageStartingWith("cannot create a private directory for WATCHER_DATA and WATCHER_FACTS in "
                        + missing);
    }

    @Test
    void procStatLinesParseWhateverTheCommandName() throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "4242 (we (ird) name) S 1 4240 4100 0 -1 4194560 100 0 0 0\n");
        assertThat(ProcessTree.Stat.read(stat)).contains(new ProcessTree.Stat(4242, 'S', 4100));
        Files.writeString(stat, "garbage");
        assertThat(ProcessTree.Stat.read(stat)).isEmpty();
        assertThat(ProcessTree.Stat.read(dir.resolve("none"))).isEmpty();
    }

    @Test
    void sessionMembersAreFoundByTheSessionId() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/setsid", "--wait", "--", "/bin/sh", "-c", "sleep 60 & wait").start();
        try {
            long deadline = System.nanoTime() + ExecMachine.DEADLINE.toNanos();
            while (ProcessTree.sessionMembers(p.pid()).size() < 2) {
                assertThat(System.nanoTime()).as("the sleeper started in time").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(ProcessTree.sessionMembers(p.pid())).extracting(ProcessHandle::pid).contains(p.pid());
            assertThat(new ProcessTree(p.toHandle()).terminate(java.time.Duration.ofSeconds(5))).isEmpty();
            assertThat(ProcessTree.sessionMembers(p.pid())).isEmpty();
        } finally {
            p.destroyForcibly();
        }
        assertThat(Optional.of(ProcessHandle.current()).map(ProcessTree::isRunning)).contains(true);
    }
}
