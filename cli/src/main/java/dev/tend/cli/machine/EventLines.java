package dev.tend.cli.machine;

import dev.tend.cli.output.TimeFormat;
import dev.tend.machine.event.MachineEvent;

/** How the CLI prints an event on one line: {@code HH:MM:SS <the event's one-line form>}, in local time. */
final class EventLines {

    private EventLines() {
    }

    static String format(MachineEvent event, TimeFormat times) {
        // TimeFormat knows TZ; its watch form is "yyyy-MM-dd HH:mm:ss", of which the time of day is wanted here.
        return times.watch(event.time()).substring(11) + " " + event;
    }
}
