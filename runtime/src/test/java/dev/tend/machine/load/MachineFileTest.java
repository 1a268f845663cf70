package dev.tend.machine.load;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding and reading the file: missing files, encodings, aliases, and warnings reaching the log. */
class MachineFileTest {

    @TempDir
    Path dir;

    private final MachineLoader loader = new MachineLoader(TestTypes.registry());

    @Test
    void aMissingPathIsOneProblem() {
        Path missing = dir.resolve("nope");
        MachineLoader.Validation v = loader.validate(missing);
        assertThat(v.errors()).extracting(Object::toString).containsExactly(missing + ": no such file or directory");
    }

    @Test
    void aDirectoryWithoutMachineYamlIsOneProblem() {
        MachineLoader.Validation v = loader.validate(dir);
        assertThat(v.file()).isEqualTo(dir.resolve("machine.yaml"));
        assertThat(v.errors()).extracting(Object::toString).containsExactly(dir.resolve("machine.yaml")
                + ": not found: a machine directory must contain machine.yaml");
    }

    @Test
    void machineYamlMustBeAFile() throws IOException {
        Files.createDirectory(dir.resolve("machine.yaml"));
        assertThat(loader.validate(dir).errors()).extracting(Object::toString)
                .containsExactly(dir.resolve("machine.yaml") + ": not a regular file");
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWithTheirLine() throws IOException {
        byte[] head = InvalidMachinesTest.BASE.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 12];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy("# caf\u00e9 ".getBytes(StandardCharsets.ISO_8859_1), 0, bytes, head.length, 7);
        Files.write(dir.resolve("machine.yaml"), bytes);
        assertThat(loader.validate(dir).errors()).extracting(Object::toString)
                .containsExactly(dir.resolve("machine.yaml") + ":18: the file is not UTF-8 text");
    }

    @Test
    void aByteOrderMarkIsAllowed() throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), "\uFEFF" + InvalidMachinesTest.BASE);
        assertThat(loader.load(dir).name()).isEqualTo("m");
    }

    @Test
    void utf16AndUtf32AreRefusedWithTheFix() throws IOException {
        Path file = dir.resolve("machine.yaml");
        for (String encoding : List.of("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")) {
            Files.write(file, ("\uFEFF" + InvalidMachinesTest.BASE).getBytes(Charset.forName(encoding)));
            String name = encoding.substring(0, 6);
            assertThat(loader.validate(dir).errors()).extracting(Object::toString).as(encoding).containsExactly(file
                    + ":1: the file is " + name + " text (it starts with a " + name + " byte-order mark); save it as"
                    + " UTF-8");
        }
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsParsed() throws IOException {
        Path file = dir.resolve("machine.yaml");
        // Not YAML at all: were it parsed, the problem would be a syntax error.
        Files.write(file, new byte[5 * 1024 * 1024]);
        assertThat(loader.validate(dir).errors()).extracting(Object::toString)
                .containsExactly(file + ": 5242880 bytes is over the 1 MiB limit for a machine file");
    }

    @Test
    void aFileOfExactlyTheLimitLoads() throws Exception {
        String head = InvalidMachinesTest.BASE + "# ";
        Files.writeString(dir.resolve("machine.yaml"), head + "x".repeat(1024 * 1024 - head.length() - 1) + "\n");
        assertThat(Files.size(dir.resolve("machine.yaml"))).isEqualTo(MachineLoader.FILE_LIMIT.bytes());
        assertThat(loader.load(dir).name()).isEqualTo("m");
    }

    @Test
    void aCharacterYamlDoesNotAllowIsReportedOnItsOwnLine() throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), InvalidMachinesTest.BASE.replace("./run.sh", "./run\u0007.sh"));
        assertThat(loader.validate(dir).errors()).extracting(InvalidMachinesTest::located)
                .containsExactly("17: invalid YAML: the character U+0007 is not allowed");
    }

    @Test
    void aRecursiveAliasIsAnErrorNotALoop() throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), InvalidMachinesTest.BASE + "x: &a [1, *a]\n");
        assertThat(loader.validate(dir).errors()).extracting(InvalidMachinesTest::located)
                .contains("18: invalid YAML: an alias refers to a node that contains it");
    }

    @Test
    void aliasesCannotExplodeTheDocument() throws IOException {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            yaml.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
        }
        Files.writeString(dir.resolve("machine.yaml"), yaml.toString());
        MachineLoader.Validation v = loader.validate(dir);
        assertThat(v.errors()).hasSize(1);
        assertThat(v.errors().get(0).message()).isEqualTo("the document is too large or too deeply nested (aliases "
                + "expand to more than 200000 nodes)");
    }

    @Test
    void loadLogsWarningsAtWarn() throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), InvalidMachinesTest.BASE.replace("1.0.0", "\"1.0\""));
        Logger logger = LogCapture.logbackLogger(MachineLoader.class.getName());
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            MachineDefinition m = loader.load(dir);
            assertThat(m.version()).isEqualTo("1.0");
        } finally {
            logger.detachAppender(appender);
        }
        // Only this file's lines: test classes run side by side, and others load machines with warnings too.
        List<ILoggingEvent> mine;
        synchronized (appender) {
            mine = appender.list.stream().filter(e -> e.getFormattedMessage().startsWith(dir.toString())).toList();
        }
        assertThat(mine).extracting(ILoggingEvent::getLevel).containsExactly(ch.qos.logback.classic.Level.WARN);
        assertThat(mine.get(0).getFormattedMessage()).isEqualTo(dir.resolve("machine.yaml")
                + ":2: version \"1.0\" is not a SemVer version such as 1.0.0");
    }

    @Test
    void semVerWithPreReleaseAndBuildIsNoWarning() throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), InvalidMachinesTest.BASE.replace("1.0.0", "1.2.3-rc.1+build.5"));
        MachineLoader.Validation v = loader.validate(dir);
        assertThat(v.isValid()).isTrue();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void aWildcardFromIsAStateNamedStarAndAWarning() throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), InvalidMachinesTest.BASE.replace("from: [busy]",
                "from: [\"*\"]"));
        MachineLoader.Validation v = loader.validate(dir);
        assertThat(v.isValid()).isTrue();
        assertThat(v.definition().orElseThrow().states()).containsExactly("*", "busy", "idle");
        assertThat(v.warnings()).extracting(InvalidMachinesTest::located).containsExactly(
                "7: transition \"go\": destination \"busy\" has no way out: no transition leaves it and no watcher "
                        + "runs in it, so the machine stays there (fine for a final state)",
                "9: transition \"stop\": from \"*\" is a state named \"*\", not every state: there is no wildcard");
    }
}
