package dev.tend.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the real {@code bin/tend} launcher running the shaded jar in a separate process. Runs in the
 * integration-test phase (after package), so {@code mvn verify} builds the jar first.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory each
class LauncherIT {

    private static Path launcher;
    private static Path jar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findLauncherAndJar() {
        launcher = Path.of(System.getProperty("tend.launcher", "../bin/tend")).toAbsolutePath().normalize();
        jar = Path.of(System.getProperty("tend.jar", "target/tend.jar")).toAbsolutePath().normalize();
        assertThat(launcher).isExecutable();
        assertThat(jar).isRegularFile();
    }

    record Result(int code, String out, String err) {
    }

    /** Runs a launcher; the real one finds the jar by itself when the build used the default target folder. */
    private Result run(Path script, Consumer<Map<String, String>> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("TEND_JAR");
        pb.environment().remove("TEND_JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        if (script.equals(launcher)) {
            Path defaultJar = launcher.getParent().getParent().resolve("cli/target/tend.jar");
            if (!jar.equals(defaultJar)) {
                pb.environment().put("TEND_JAR", jar.toString());
            }
        }
        env.accept(pb.environment());
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tend " + String.join(" ", args) + " did not finish in 60s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result run(String... args) throws Exception {
        return run(launcher, env -> { }, args);
    }

    @Test
    void version() throws Exception {
        Result r = run("--version");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("tend 0.1.0-SNAPSHOT\n");
        assertThat(r.code()).isZero();
    }

    @Test
    void help() throws Exception {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: tend [-hV] [--debug] [COMMAND]").contains("--version", "Exit status:");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aUsageErrorIsOneLineOnStderrAndExitStatus2() throws Exception {
        Result r = run("--nosuch");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("tend: unknown option: '--nosuch'\n");
    }

    @Test
    void debugLogsThroughLogbackInTheShadedJar() throws Exception {
        Result r = run("--debug", "--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("tend 0.1.0-SNAPSHOT\n");
        assertThat(r.err()).contains("DEBUG [main] dev.tend.cli.Cli: tend 0.1.0-SNAPSHOT on Java")
                .doesNotContain("SLF4J");
    }

    @Test
    void javaOptionsFromTheEnvironmentReachTheJvm() throws Exception {
        Result r = run(launcher, env -> env.put("TEND_JAVA_OPTS", "-Dtend.e2e=yes -XshowSettings:properties"),
                "--version");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("tend.e2e = yes");
        assertThat(r.out()).isEqualTo("tend 0.1.0-SNAPSHOT\n");
    }

    @Test
    void aBadJavaHomeIsReported() throws Exception {
        Result r = run(launcher, env -> env.put("JAVA_HOME", tmp.resolve("nojava").toString()), "--version");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).startsWith("tend: JAVA_HOME is ").hasLineCount(1);
    }

    /** A copy of the launcher in a tree of its own, with the jar where a build puts it. */
    private Path tree(String name, boolean withJar) throws IOException {
        Path root = tmp.resolve(name);
        Files.createDirectories(root.resolve("bin"));
        Path script = root.resolve("bin/tend");
        Files.copy(launcher, script);
        if (withJar) {
            Files.createDirectories(root.resolve("cli/target"));
            Files.createSymbolicLink(root.resolve("cli/target/tend.jar"), jar);
        }
        return script;
    }

    @Test
    void findsTheJarNextToItsRealPathThroughSymlinks() throws Exception {
        Path script = tree("tree", true);
        Path links = Files.createDirectories(tmp.resolve("links"));
        Path first = Files.createSymbolicLink(links.resolve("tend"), Path.of("../tree/bin/tend"));
        Path second = Files.createSymbolicLink(tmp.resolve("tend-link"), first);
        for (Path p : List.of(script, first, second)) {
            Result r = run(p, env -> { }, "--version");
            assertThat(r.code()).as("via %s: %s", p, r.err()).isZero();
            assertThat(r.out()).isEqualTo("tend 0.1.0-SNAPSHOT\n");
        }
    }

    @Test
    void aMissingJarSaysHowToBuildItAndExits3() throws Exception {
        Path script = tree("unbuilt", false);
        Result r = run(script, env -> { }, "--version");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).hasLineCount(1)
                .startsWith("tend: " + tmp.toRealPath().resolve("unbuilt/cli/target/tend.jar") + " not found")
                .contains("mvn -q -DskipTests package");
    }

    @Test
    void theJarRunsAlone() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--version");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output).isEqualTo("tend 0.1.0-SNAPSHOT\n");
    }
}
