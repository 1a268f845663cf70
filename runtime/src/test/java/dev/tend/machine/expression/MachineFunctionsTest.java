package dev.tend.machine.expression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reference's helper functions, as the plugin matchers will use them, on real files. */
class MachineFunctionsTest {

    private static final ExpressionCompiler COMPILER = ExpressionCompiler.standard();

    @TempDir
    Path dir;

    private Environment matchers(String identity, Map<String, Object> facts, String path) {
        return Environment.builder()
                .function(MachineFunctions.identityMatcher(identity))
                .function(MachineFunctions.getFact(() -> facts))
                .function(MachineFunctions.hasFile())
                .function(MachineFunctions.hasDirectory())
                .function(MachineFunctions.hasCommand(path))
                .build();
    }

    private boolean test(String source, Environment env) throws Exception {
        return COMPILER.compileBoolean(source, env).test(env);
    }

    @Test
    void identityMatchesARegularExpressionAnywhereAndABadOneIsFalse() throws Exception {
        Environment env = matchers("web01.example.net", Map.of(), "");
        assertThat(test("identity('^web\\\\d+')", env)).isTrue();
        assertThat(test("identity('example')", env)).isTrue();
        assertThat(test("identity('^db')", env)).isFalse();
        assertThat(test("identity('(')", env)).isFalse();
    }

    @Test
    void getFactReadsAPathAndGivesNilForNone() throws Exception {
        Environment env = matchers("n", Map.of("os", Map.of("family", "Debian"), "disks", List.of("sda", "sdb")), "");
        assertThat(test("get_fact('os.family') == 'Debian'", env)).isTrue();
        assertThat(test("get_fact('disks.1') == 'sdb'", env)).isTrue();
        assertThat(test("get_fact('disks.#') == 2", env)).isTrue();
        assertThat(test("get_fact('os.nope') == nil", env)).isTrue();
        assertThatThrownBy(() -> test("get_fact('os|@reverse') == nil", env))
                .isInstanceOf(EvaluationException.class).hasMessageStartingWith("get_fact: ");
    }

    @Test
    void hasFileHasDirectoryAndHasCommandLookAtTheFileSystem() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(bin.resolve("plain"), "not executable");
        Environment env = matchers("n", Map.of(), "/nonexistent:" + bin);
        assertThat(test("has_file('" + file + "')", env)).isTrue();
        assertThat(test("has_file('" + dir + "')", env)).isTrue(); // anything that exists, as Choria's
        assertThat(test("has_directory('" + dir + "')", env)).isTrue();
        assertThat(test("has_directory('" + file + "')", env)).isFalse();
        assertThat(test("has_file('') || has_directory('')", env)).isFalse();
        assertThat(test("has_command('tool')", env)).isTrue();
        assertThat(test("has_command('plain')", env)).isFalse();
        assertThat(test("has_command('missing')", env)).isFalse();
        assertThat(test("has_command('" + tool + "')", env)).isTrue();
        assertThatThrownBy(() -> test("has_file(1)", env)).isInstanceOf(EvaluationException.class)
                .hasMessage("has_file: expected string, but got int");
    }
}
