/**
 * The agent's opt-in HTTP listener ({@code tend agent --listen HOST:PORT}, or {@code listen:} in the config file).
 *
 * <p>Public: {@link dev.tend.observe.ObserveListener} (the JDK's {@code HttpServer} on one address with a bounded
 * pool of named threads; its builder takes the routes, {@code route(path, handler)}, and so does a started listener),
 * {@link dev.tend.observe.ListenAddress} (reads {@code HOST:PORT}; no host means the loopback address) and
 * {@link dev.tend.observe.Responses} (writing an answer whole, refusing methods other than GET and HEAD),
 * {@link dev.tend.observe.StreamingHandler} (a handler that keeps its exchange after it returns: an event stream holds
 * none of the listener's request threads). Inside:
 * {@code Route} (exact or prefix matching, 404 and 500; the exchange closed unless a streaming handler keeps it),
 * {@code HeadDeadline} (closes a connection that does not send its request head in time), {@code NamedThreads}.
 *
 * <p>The listener knows nothing of what it serves: {@code tend agent} ({@code dev.tend.cli.agent.AgentCommand},
 * {@code AgentEndpoints}) gives it its routes: {@code /metrics} ({@code dev.tend.observe.metrics}) and
 * {@code /healthz} ({@code dev.tend.observe.health}), which use only {@link dev.tend.observe.Responses} of this
 * package, and the status page ({@code dev.tend.observe.page}: {@code /}, {@code /machine}, {@code /events},
 * {@code /assets/}).
 */
package dev.tend.observe;
