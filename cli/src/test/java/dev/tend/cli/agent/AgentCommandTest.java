package dev.tend.cli.agent;

import dev.tend.cli.Cli;
import dev.tend.machine.agent.AgentPaths;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tend agent}'s options; running it is {@code AgentIT}'s job (it needs a signal to end). */
class AgentCommandTest {

    private static final Map<String, String> ENV = Map.of("HOME", "/home/ann", "XDG_RUNTIME_DIR", "/run/user/1000");

    @Test
    void withoutOptionsTheDefaultsApply() {
        AgentCommand command = new AgentCommand(ENV);
        new CommandLine(command).parseArgs();
        assertThat(command.paths()).isEqualTo(AgentPaths.defaults(ENV));
    }

    @Test
    void eachOptionOverridesItsLocation() {
        AgentCommand command = new AgentCommand(ENV);
        new CommandLine(command).parseArgs("--machines", "/m", "--state", "/s", "--plugins", "/p", "--socket",
                "/x.sock");
        AgentPaths defaults = AgentPaths.defaults(ENV);
        assertThat(command.paths()).isEqualTo(defaults.withMachines(Path.of("/m")).withState(Path.of("/s"))
                .withPlugins(Path.of("/p")).withSocket(Path.of("/x.sock")));
    }

    @Test
    void aBlankIdentityIsAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Cli(new PrintWriter(out), new PrintWriter(err), ENV).execute("agent", "--identity", " ");
        assertThat(code).isEqualTo(2);
        assertThat(err).hasToString("tend: --identity needs a name\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badNatsSettingsFailAtStartInOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Cli(new PrintWriter(out), new PrintWriter(err), ENV).execute("agent", "--store",
                "nats://127.0.0.1:4222", "--tls-ca", "/nonexistent/tend-ca.pem", "--machines", "/nonexistent");
        assertThat(code).isEqualTo(2);
        assertThat(err).hasToString("tend: the TLS CA file /nonexistent/tend-ca.pem does not exist\n");

        StringWriter err2 = new StringWriter();
        code = new Cli(new PrintWriter(out), new PrintWriter(err2), Map.of("HOME", "/home/ann",
                "TEND_NATS_TOKEN", "agent-secret")).execute("agent", "--store", "nats://u:pw-secret@127.0.0.1:4222");
        assertThat(code).isEqualTo(2);
        assertThat(err2.toString()).contains("give them in one place").doesNotContain("secret");
    }

    @Test
    void anEventsPrefixNeedsANatsStoreAndMustBeAPlainSubject() {
        StringWriter err = new StringWriter();
        int code = new Cli(new PrintWriter(new StringWriter()), new PrintWriter(err), ENV).execute("agent", "--store",
                "/tmp/agent-events-kv", "--events-prefix", "fleet.events");
        assertThat(code).isEqualTo(2);
        assertThat(err).hasToString("tend: --events-prefix is only used with a NATS store (--store nats://host:port):"
                + " events are published on NATS only then\n");

        for (String bad : new String[] {"a..b", "fleet events", "fleet.*", "fleet.>"}) {
            StringWriter badErr = new StringWriter();
            // Refused before anything starts: no machine runs, no connection is tried (nothing listens on port 1).
            int badCode = new Cli(new PrintWriter(new StringWriter()), new PrintWriter(badErr), ENV).execute("agent",
                    "--store", "nats://127.0.0.1:1", "--events-prefix", bad);
            assertThat(badCode).as(bad).isEqualTo(2);
            assertThat(badErr.toString()).as(bad).startsWith("tend: events prefix \"" + bad + "\" ")
                    .endsWith(" (from --events-prefix)\n").hasLineCount(1);
        }
    }

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        int code = new Cli(new PrintWriter(out), new PrintWriter(new StringWriter()), ENV).execute("agent", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--machines=DIR", "--store=URL", "--facts=FILE", "--identity=NAME",
                "--state=DIR", "--plugins=DIR", "--socket=PATH", "--insecure-permissions", "--user=NAME",
                "--password=PASSWORD", "--token=TOKEN", "--creds=FILE", "--tls-ca=FILE", "--tls-cert=FILE",
                "--tls-key=FILE", "--connection-name=NAME", "--nats-timeout=DUR", "--events-prefix=PREFIX",
                "--blocking-threads=N", "--textfile-dir=DIR", "--overrides=FILE", "--listen=HOST:PORT", "--noop");
    }

    @Test
    void aTextfileDirectoryMustExist() {
        StringWriter err = new StringWriter();
        int code = new Cli(new PrintWriter(new StringWriter()), new PrintWriter(err), ENV).execute("agent",
                "--textfile-dir", "/nonexistent/textfiles");
        assertThat(code).isEqualTo(2);
        assertThat(err).hasToString("tend: --textfile-dir /nonexistent/textfiles is not a directory\n");
    }

    @Test
    void blockingThreadsOutOfRangeAreAUsageError() {
        for (String bad : new String[] {"0", "-3", "1025"}) {
            StringWriter err = new StringWriter();
            int code = new Cli(new PrintWriter(new StringWriter()), new PrintWriter(err), ENV).execute("agent",
                    "--blocking-threads", bad);
            assertThat(code).as(bad).isEqualTo(2);
            assertThat(err.toString()).as(bad).isEqualTo("tend: --blocking-threads must be 1 to 1024, not " + bad + "\n");
        }
    }
}
