package dev.tend.dist;

import dev.tend.cli.CommandTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The .deb and the tarball that {@code package} built, installed as an operator would and run: the .deb extracted
 * into a temporary root with {@code dpkg-deb -x} (its files exactly as {@code dpkg -i} puts them), its
 * {@code usr/bin/tend} run for {@code --version}, {@code kv} commands on a temporary store and {@code agent} on a
 * temporary machines directory; its man pages, completion, conffiles, maintainer scripts and systemd unit checked.
 */
class DebPackageIT {

    @TempDir
    static Path tmp;

    private static Path deb;
    private static Path root;
    private static Installed tend;

    @BeforeAll
    static void extract() throws Exception {
        Path dist = Path.of(System.getProperty("tend.dist.dir", "target"));
        deb = only(dist, ".deb");
        assumeTrue(Installed.onPath("dpkg-deb"), "dpkg-deb is not installed: the .deb cannot be extracted (Debian)");
        root = Files.createDirectories(tmp.resolve("root"));
        Installed.Result x = Installed.exec(tmp, List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
        assertThat(x.code()).as(x.describe()).isZero();
        tend = new Installed(root.resolve("usr/bin/tend"), tmp.resolve("deb"));
    }

    @AfterAll
    static void stop() {
        if (tend != null) {
            tend.close();
        }
    }

    private static Path only(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            assertThat(found).as("the " + suffix + " package in " + dir + " (run mvn package first)").hasSize(1);
            return found.get(0);
        }
    }

    @Test
    void theInstalledTendRunsFromItsOwnJar() throws Exception {
        assertThat(root.resolve("usr/bin/tend")).isExecutable();
        assertThat(root.resolve("usr/lib/tend/tend.jar")).isRegularFile();
        Installed.Result version = tend.run("--version");
        assertThat(version.code()).as(version.describe()).isZero();
        assertThat(version.out()).startsWith("tend ");
        // No checkout here: it can only have run the installed jar.
        assertThat(root.resolve("cli")).doesNotExist();

        assertThat(tend.run("kv", "add", "CFG").code()).isZero();
        Installed.Result put = tend.run("kv", "put", "CFG", "username", "bob");
        assertThat(put.code()).as(put.describe()).isZero();
        Installed.Result get = tend.run("kv", "get", "CFG", "username", "--raw");
        assertThat(get.code()).as(get.describe()).isZero();
        assertThat(get.out()).isEqualTo("bob");
    }

    @Test
    void theInstalledAgentRunsAMachineAndStopsOnSigterm() throws Exception {
        Path machines = Files.createDirectories(tmp.resolve("agent/machines/hello"));
        Files.writeString(machines.resolve("machine.yaml"), """
                name: hello
                version: "1.0.0"
                initial_state: idle
                transitions:
                  - name: greeted
                    from: [idle]
                    destination: done
                watchers:
                  - name: greet
                    type: exec
                    state_match: [idle]
                    success_transition: greeted
                    interval: 500ms
                    properties:
                      command: ./greet.sh
                """);
        Path script = machines.resolve("greet.sh");
        Files.writeString(script, "#!/bin/sh\nprintf hello > greeted.txt\n");
        script.toFile().setExecutable(true);
        Path socket = tmp.resolve("agent/run/agent.sock");
        Installed.Started agent = tend.start("agent", "--machines", machines.getParent().toString(), "--state",
                tmp.resolve("agent/state").toString(), "--socket", socket.toString(), "--plugins",
                tmp.resolve("agent/plugins").toString(), "--identity", "deb-node");
        Installed.eventually("the machine's transition", () -> agent.err().contains(
                "deb-node hello transitioned via event greeted: idle => done"), agent);
        assertThat(machines.resolve("greeted.txt")).hasContent("hello");
        Installed.Result list = tend.run("machine", "list", "--socket", socket.toString());
        assertThat(list.code()).as(list.describe()).isZero();
        assertThat(list.out()).contains("| hello ").contains("| done ");

        agent.process().destroy(); // SIGTERM, as systemd stops tend.service
        Installed.Result stopped = agent.await();
        assertThat(stopped.code()).as(stopped.describe()).isZero();
        assertThat(stopped.err()).contains("agent stopped").doesNotContain("Exception");
        assertThat(socket).doesNotExist();
    }

    @Test
    void oneManPagePerCommandAndTheCompletion() throws Exception {
        Path man = root.resolve("usr/share/man/man1");
        Set<String> expected = new TreeSet<>();
        pages(CommandTree.build(), "tend", expected);
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.list(man)) {
            files.forEach(f -> found.add(f.getFileName().toString()));
        }
        assertThat(found).isEqualTo(expected);
        for (String page : found) {
            String troff = gunzip(man.resolve(page));
            String name = page.substring(0, page.length() - ".1.gz".length());
            assertThat(troff).as(page).startsWith(".TH \"" + name.toUpperCase(java.util.Locale.ROOT)
                    .replace("-", "\\-") + "\" 1 ").contains(".SH \"NAME\"\n" + name.replace("-", "\\-") + " \\- ");
            if (Installed.onPath("groff")) {
                Installed.Result check = Installed.exec(tmp, List.of("sh", "-c",
                        "gzip -dc \"$1\" | groff -man -Tutf8 -ww -z", "sh", man.resolve(page).toString()));
                assertThat(check.code()).as(check.describe()).isZero();
                assertThat(check.err()).as(page + ": groff's warnings").isEmpty();
            }
        }

        Path completion = root.resolve("usr/share/bash-completion/completions/tend");
        assertThat(completion).isRegularFile();
        assertThat(Files.readString(completion)).contains("complete -F");
        Installed.Result syntax = Installed.exec(tmp, List.of("bash", "-n", completion.toString()));
        assertThat(syntax.code()).as(syntax.describe()).isZero();
    }

    /** {@code tend-kv-put.1.gz} for {@code tend kv put}: every command that is not hidden, by its name. */
    private static void pages(CommandLine command, String name, Set<String> into) {
        into.add(name + ".1.gz");
        command.getSubcommands().forEach((sub, line) -> {
            if (!line.getCommandSpec().usageMessage().hidden() && sub.equals(line.getCommandName())) {
                pages(line, name + "-" + sub, into);
            }
        });
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theConfigIsAConffileAndASampleEveryCommandReads() throws Exception {
        Installed.Result conffiles = Installed.exec(tmp, List.of("dpkg-deb", "-I", deb.toString(), "conffiles"));
        assertThat(conffiles.code()).as(conffiles.describe()).isZero();
        assertThat(conffiles.out().lines()).containsExactly("/etc/tend/tend.yaml");
        Installed.Result control = Installed.exec(tmp, List.of("dpkg-deb", "-f", deb.toString(), "Package",
                "Architecture", "Depends"));
        assertThat(control.out()).contains("Package: tend\n", "Architecture: all\n",
                "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless\n");

        // The sample, as a user's config file: read without complaint.
        Path config = Files.createDirectories(tmp.resolve("sample/config/tend"));
        Files.copy(root.resolve("etc/tend/tend.yaml"), config.resolve("tend.yaml"));
        Installed.Result ls = tend.run(List.of("kv", "ls"), "XDG_CONFIG_HOME", config.getParent().toString());
        assertThat(ls.code()).as(ls.describe()).isZero();
        assertThat(ls.err()).isEmpty();
        assertThat(root.resolve("etc/tend/machines")).isDirectory().isEmptyDirectory();
    }

    @Test
    void theMaintainerScriptsAndTheUnit() throws Exception {
        Path control = Files.createDirectories(tmp.resolve("control"));
        Installed.Result e = Installed.exec(tmp, List.of("dpkg-deb", "-e", deb.toString(), control.toString()));
        assertThat(e.code()).as(e.describe()).isZero();
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(control.resolve(script)).isExecutable();
            Installed.Result syntax = Installed.exec(tmp, List.of("sh", "-n", control.resolve(script).toString()));
            assertThat(syntax.code()).as(syntax.describe()).isZero();
        }
        assertThat(Files.readString(control.resolve("triggers"))).contains("interest-noawait /usr/lib/jvm");

        Path unit = root.resolve("lib/systemd/system/tend.service");
        String text = Files.readString(unit);
        assertThat(text).contains("ExecStart=/usr/bin/tend agent\n", "Restart=on-failure\n", "KillSignal=SIGTERM\n",
                "RuntimeDirectory=tend\n", "StateDirectory=tend\n");
        if (!Installed.onPath("systemd-analyze")) {
            System.err.println("DebPackageIT: systemd-analyze is not installed; tend.service not verified");
            return;
        }
        // The unit as installed, its command pointing into the temporary root (verify checks it is executable).
        Path copy = Files.createDirectories(tmp.resolve("unit")).resolve("tend.service");
        Files.writeString(copy, text.replace("/usr/bin/tend", root.resolve("usr/bin/tend").toString()));
        Installed.Result verify = Installed.exec(tmp, List.of("systemd-analyze", "verify", "--man=no",
                copy.toString()));
        assertThat(verify.code()).as(verify.describe()).isZero();
        assertThat(verify.err() + verify.out()).as(verify.describe()).isEmpty();
    }

    @Test
    void theTarballRunsFromWhereItIsUnpacked() throws Exception {
        Path tarball = only(Path.of(System.getProperty("tend.dist.dir", "target")), ".tar.gz");
        Path unpacked = Files.createDirectories(tmp.resolve("tarball"));
        Installed.Result x = Installed.exec(tmp, List.of("tar", "-xzf", tarball.toString(), "-C",
                unpacked.toString()));
        assertThat(x.code()).as(x.describe()).isZero();
        Path top;
        try (Stream<Path> dirs = Files.list(unpacked)) {
            top = dirs.findFirst().orElseThrow();
        }
        List<String> expected = new ArrayList<>(List.of("bin/tend", "lib/tend.jar", "lib/tend-archive",
                "etc/tend.yaml", "lib/systemd/system/tend.service", "share/bash-completion/completions/tend",
                "share/man/man1/tend.1.gz", "share/man/man1/tend-agent.1.gz"));
        for (String file : expected) {
            assertThat(top.resolve(file)).as(file).isRegularFile();
        }
        try (Installed fromTarball = new Installed(top.resolve("bin/tend"), tmp.resolve("tar"))) {
            Installed.Result version = fromTarball.run("--version");
            assertThat(version.code()).as(version.describe()).isZero();
            assertThat(version.out()).startsWith("tend ");
        }
    }
}
