/**
 * The live status page on the agent's HTTP listener: read-only, everything it loads served from the jar.
 * Start with {@link dev.tend.observe.page.StatusPage}, whose handlers serve {@code /} (the page), {@code /machine}
 * (one machine's section), {@code /events} (server-sent events) and {@code /assets/} (its script and style, the
 * resources {@code status.js} and {@code status.css} beside these classes).
 *
 * <p>Inside: {@code PageHtml} the page, {@code PageAssets} its script and style, {@code MachineSection} one machine
 * from the {@code MACHINE} object of the control protocol (fields it does not know are shown generically, so what newer
 * agents add appears by itself), {@code Html} the escaping every value goes through; {@code GraphLayout} lays a
 * machine's state graph out with the Eclipse Layout Kernel (layered), {@code GraphCache} keeps the layouts by machine
 * file, {@code SvgGraph} draws them; {@code StateTimes} since when each machine is in its state, {@code EventClients}
 * the open event streams, {@code SseFormat} their text.
 *
 * <p>Threads: one {@code tend-status-events-N} per open event stream (at most 32), daemons, ended by
 * {@code StatusPage.close()}. Depends on the runtime's model, events and control protocol, never on the agent: it
 * serves any {@link dev.tend.machine.control.RunningMachines}.
 */
package dev.tend.observe.page;
