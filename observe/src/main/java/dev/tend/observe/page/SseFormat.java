package dev.tend.observe.page;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Machine events as the page's server-sent events: {@code event: transition} with
 * {@code {"machine","transition","from_state","to_state","time"}}, {@code event: watcher} with {@code {"machine"}}
 * (the page fetches the machine's section again). The JSON is one line, so each event is one {@code data:} line.
 */
final class SseFormat {
    private static final JsonFactory JSON = new JsonFactory();

    /** Sent first: how long the browser waits before reconnecting, in milliseconds. */
    static final String RETRY = "retry: 2000\n\n";

    /** A comment line: keeps the connection busy so a client gone away is noticed. */
    static final String PING = ": ping\n\n";

    private SseFormat() {
    }

    static String event(MachineEvent event) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("machine", event.machine());
            if (event instanceof TransitionEvent t) {
                g.writeStringField("transition", t.transition());
                g.writeStringField("from_state", t.fromState());
                g.writeStringField("to_state", t.toState());
                g.writeStringField("time", t.time().toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = event instanceof TransitionEvent ? "transition" : "watcher";
        return "event: " + name + "\ndata: " + out + "\n\n";
    }
}
