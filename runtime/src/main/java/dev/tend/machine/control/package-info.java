/**
 * The control socket: how {@code tend machine list|info|transition|events} talk to a running agent.
 *
 * <p>Public: {@link dev.tend.machine.control.ControlServer} (serves a {@link dev.tend.machine.control.RunningMachines}
 * on a Unix socket, owner-only), {@link dev.tend.machine.control.ControlClient} (one connection per request; every
 * failure a {@link dev.tend.machine.control.ControlException} with a one-line message and a code),
 * {@link dev.tend.machine.control.ControlProtocol} (the wire format, versioned: read its javadoc first) and
 * {@link dev.tend.machine.control.TransitionOutcome}. Inside: {@code ControlRequest} parses a request line,
 * {@code ControlConnection} serves one client, {@code RequestHandler} the one-shot requests, {@code EventStreamer} an
 * events stream (bounded queue per client), {@code LineChannel} reads and writes lines with timeouts (the server and events streams),
 * {@code OneShotExchange} a client's request and answer in blocking mode without a selector,
 * {@code ControlSocketFile} binds the socket safely, {@link dev.tend.machine.control.JsonLines} reads and writes the
 * JSON lines with jackson-core alone (a short {@code tend machine} call makes no {@code ObjectMapper}); its tree
 * writer is also the CLI's, for {@code --json} (the CLI depends on this module, not the other way round),
 * {@code InstantText} reads the protocol's times without the JDK's ISO formatter;
 * {@link dev.tend.machine.control.ClientStartup} readies the JDK's Unix-domain socket support for a process that
 * makes one request and exits, beside its own start.
 *
 * <p>Over NATS (an agent whose store is NATS): {@link dev.tend.machine.control.NatsControlServer} answers list, info and
 * transition (nothing else) through the same {@code RequestHandler}, on subjects under the events prefix
 * ({@link dev.tend.machine.control.NatsControlSubjects}, with the node registry bucket {@code TEND_NODES});
 * {@link dev.tend.machine.control.NatsControlClient} asks them (a fleet-wide gather bounded by its time-out, one node's
 * info and transitions). These use jnats and the store's {@code NatsConnections}.
 *
 * <p>Threads: {@code tend-control-accept}, and one {@code tend-control-client-N} per client; in a client process
 * that calls {@code ClientStartup}, one short-lived {@code tend-socket-startup}; in a client, one
 * {@code tend-client-deadline} per one-shot request, ended with it; in an agent on NATS, {@code tend-nats-requests}
 * (and jnats' dispatcher, which only queues requests for it); all daemons. This package
 * depends on the model and the events, never on the agent: whatever runs machines implements
 * {@link dev.tend.machine.control.RunningMachines}.
 */
package dev.tend.machine.control;
