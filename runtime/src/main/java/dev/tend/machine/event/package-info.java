/**
 * Machine events and where they go. Everything here is public: the runtime publishes events, and the CLI reads them
 * back from the events file, the control socket and NATS.
 *
 * <p>Start with {@link dev.tend.machine.event.MachineEvent}, sealed: a {@link dev.tend.machine.event.TransitionEvent}
 * (a real transition; self transitions are not events) or a {@link dev.tend.machine.event.WatcherStateEvent} (a
 * watcher's state, on change or announced periodically); their {@code toString} is the one-line form the log and
 * {@code tend machine events} print, numbers in it as the JSON has them ({@code OneLineValues}). {@link dev.tend.machine.event.CloudEventsJson} is their one wire form, CloudEvents
 * 1.0 structured JSON, written and read back (a text that is not one is a
 * {@link dev.tend.machine.event.MalformedEventException}).
 *
 * <p>Sinks ({@link dev.tend.machine.event.EventSink}: publishing never blocks a machine for long and never throws):
 * {@link dev.tend.machine.event.LogEventSink} (INFO on the logger {@code dev.tend.machine.events}),
 * {@link dev.tend.machine.event.EventsFile} ({@code <state>/events.jsonl}, rotated) and
 * {@link dev.tend.machine.event.NatsEventSink} (subjects from {@link dev.tend.machine.event.NatsEventSubjects}; a
 * bounded queue emptied by its thread {@code tend-nats-events} on a connection of its own).
 * {@link dev.tend.machine.event.EventBroadcaster}, a bounded queue and a thread per subscriber, is used by no other
 * class of Tend (only by its test): the control socket queues per client itself ({@code control.EventStreamer}).
 *
 * <p>Knows no other runtime package (events are published by all of them) but {@code machine.json}, which writes
 * the numbers in their data as Choria does; depends on the store's
 * {@link dev.tend.kv.nats.NatsConnections} for NATS, the CloudEvents SDK and Jackson. docs/machines.md ("Events",
 * "Events on NATS") gives the fields and subjects.
 */
package dev.tend.machine.event;
