package dev.tend.machine.control;

import dev.tend.machine.control.ControlException.Code;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The socket file: permissions, stale and live sockets, what close leaves behind, and a client with no agent. */
@Timeout(60)
@ResourceLock(value = "threads tend-control-", mode = ResourceAccessMode.READ_WRITE)
class ControlSocketTest {

    @TempDir
    Path tmp;
    ControlTestMachines machines;

    @BeforeEach
    void setUp() {
        machines = new ControlTestMachines(tmp.resolve("state"));
        machines.add("alpha", tmp.resolve("machines/alpha"));
    }

    @AfterEach
    void tearDown() {
        machines.close();
    }

    @Test
    void theSocketIsOwnerOnlyInADirectoryCreatedOwnerOnly() throws Exception {
        Path socket = tmp.resolve("run/tend/agent.sock");
        try (ControlServer server = ControlServer.start(socket, machines)) {
            assertThat(server.socket()).isEqualTo(socket);
            assertThat(mode(socket)).isEqualTo("rw-------");
            assertThat(mode(tmp.resolve("run/tend"))).isEqualTo("rwx------");
            assertThat(mode(tmp.resolve("run"))).isEqualTo("rwx------");
            assertThat(Files.readAttributes(socket, "basic:isOther", LinkOption.NOFOLLOW_LINKS).get("isOther"))
                    .isEqualTo(true);
            assertThat(new ControlClient(socket).list()).hasSize(1);
        }
    }

    @Test
    void anExistingDirectoryIsLeftAsItIs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        try (ControlServer server = ControlServer.start(dir.resolve("agent.sock"), machines)) {
            assertThat(mode(dir)).isEqualTo("rwxr-x---");
            assertThat(mode(server.socket())).isEqualTo("rw-------");
        }
    }

    @Test
    void noTemporaryFilesAreLeftBeside() throws Exception {
        Path dir = tmp.resolve("run");
        try (ControlServer server = ControlServer.start(dir.resolve("agent.sock"), machines)) {
            try (var files = Files.list(dir)) {
                assertThat(files).containsExactly(dir.resolve("agent.sock"));
            }
        }
    }

    @Test
    void closeRemovesTheSocketAndClientsThenFindNoAgent() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        ControlServer server = ControlServer.start(socket, machines);
        server.close();
        assertThat(socket).doesNotExist();
        server.close(); // idempotent
        assertThatThrownBy(() -> new ControlClient(socket).list())
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.NO_AGENT))
                .hasMessage("no agent is listening on " + socket + " (is tend agent running?)");
    }

    @Test
    void closeEndsEveryThreadItStarted() throws Exception {
        ControlServer server = ControlServer.start(tmp.resolve("agent.sock"), machines);
        RawControlClient idle = new RawControlClient(server.socket());
        ControlClient.EventStream events = new ControlClient(server.socket()).events(null);
        assertThat(controlThreads()).isGreaterThanOrEqualTo(2); // the acceptor, the events client
        server.close();
        assertThat(events.next()).isNull(); // the stream ended: the agent went away
        assertThat(idle.readLine()).isNull();
        idle.close();
        events.close();
        assertThat(controlThreads()).isZero();
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // closing it leaves the file: a crashed agent's socket
        }
        assertThat(socket).exists();
        assertThatThrownBy(() -> new ControlClient(socket).list())
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.NO_AGENT))
                .hasMessage("no agent is listening on " + socket + " (is tend agent running?)");
        try (ControlServer server = ControlServer.start(socket, machines)) {
            assertThat(new ControlClient(socket).list()).hasSize(1);
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void aLiveSocketIsRefusedAndKeepsWorking() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        try (ControlServer first = ControlServer.start(socket, machines)) {
            assertThatThrownBy(() -> ControlServer.start(socket, machines))
                    .isInstanceOf(IOException.class)
                    .hasMessage("another agent is already listening on " + socket);
            assertThat(new ControlClient(socket).list()).hasSize(1);
        }
    }

    @Test
    void aFileThatIsNotASocketIsNeverReplaced() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        Files.writeString(socket, "precious");
        assertThatThrownBy(() -> ControlServer.start(socket, machines))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot listen on " + socket + ": it exists and is not a socket (move it away or choose"
                        + " another --socket)");
        assertThat(Files.readString(socket)).isEqualTo("precious");
    }

    @Test
    void aDirectoryThatCannotBeMadeIsAClearError() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        Path socket = file.resolve("agent.sock");
        assertThatThrownBy(() -> ControlServer.start(socket, machines))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot create the directory of the control socket " + socket + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aRemovedSocketOfAnotherServerIsNotTouchedOnClose() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        ControlServer first = ControlServer.start(socket, machines);
        Files.delete(socket); // e.g. an operator cleaned up; a second agent took the name
        try (ControlServer second = ControlServer.start(socket, machines)) {
            first.close();
            assertThat(socket).exists();
            assertThat(new ControlClient(socket).list()).hasSize(1);
        }
    }

    @Test
    void aMissingSocketMeansNoAgent() {
        Path socket = tmp.resolve("nowhere/agent.sock");
        assertThatThrownBy(() -> new ControlClient(socket).info("alpha"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.NO_AGENT))
                .hasMessage("no agent is listening on " + socket + " (is tend agent running?)");
        assertThatThrownBy(() -> new ControlClient(socket).events(null))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.NO_AGENT));
    }

    @Test
    void aClientRefusesANewerAgentAndAMalformedAnswer() throws Exception {
        assertThatThrownBy(() -> clientOfFakeAgent("{\"v\":2,\"ok\":true,\"machines\":[]}").list())
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILURE))
                .hasMessage("the agent speaks control protocol version 2, this tend version 1: use the same version"
                        + " of tend as the agent");
        assertThatThrownBy(() -> clientOfFakeAgent("garbage").list())
                .isInstanceOf(ControlException.class)
                .hasMessageStartingWith("malformed response from the agent: ");
        assertThatThrownBy(() -> clientOfFakeAgent("{\"v\":1}").list())
                .isInstanceOf(ControlException.class)
                .hasMessage("malformed response from the agent: no \"ok\"");
        assertThatThrownBy(() -> clientOfFakeAgent("{\"v\":1,\"ok\":false,\"code\":\"from_the_future\",\"error\":\"x\"}")
                .list())
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILURE))
                .hasMessage("x");
        assertThatThrownBy(() -> clientOfFakeAgent(null).list())
                .isInstanceOf(ControlException.class)
                .hasMessageEndingWith("closed the connection without an answer");
    }

    @Test
    void aClientGivesUpOnAnAgentThatDoesNotAnswer() throws Exception {
        Path socket = tmp.resolve("mute.sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(socket)); // accepts (backlog) and never answers
            assertThatThrownBy(() -> new ControlClient(socket, java.time.Duration.ofMillis(200)).list())
                    .isInstanceOfSatisfying(ControlException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.FAILURE))
                    .hasMessage("the agent on " + socket + " did not answer within 200ms");
        }
    }

    /** A client of a one-shot fake agent that answers {@code answer} (or hangs up when null) to any request. */
    private ControlClient clientOfFakeAgent(String answer) throws Exception {
        Path socket = tmp.resolve("fake-" + System.nanoTime() + ".sock");
        ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        fake.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (fake; var c = fake.accept()) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        java.nio.channels.Channels.newInputStream(c), java.nio.charset.StandardCharsets.UTF_8));
                in.readLine();
                if (answer != null) {
                    c.write(java.nio.ByteBuffer.wrap((answer + "\n").getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                // The test sees what the client made of it.
            }
        }, "test-fake-agent");
        t.start();
        return new ControlClient(socket);
    }

    /** Live threads of control servers (close() joins them, so none may be left after it). */
    private static long controlThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tend-control-") && t.isAlive()).count();
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
