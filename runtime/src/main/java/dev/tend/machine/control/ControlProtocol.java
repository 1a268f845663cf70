package dev.tend.machine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.kv.InvalidInputException;
import dev.tend.machine.LoadFailure;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.Problem;
import dev.tend.machine.ResumeOutcome;
import dev.tend.machine.WatcherStatus;
import dev.tend.machine.spi.WatcherNext;
import dev.tend.machine.spi.WatcherRun;
import dev.tend.units.Durations;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control socket's wire format, version {@value #VERSION}. A client connects, writes one request line, reads the
 * response line(s); the server closes the connection after the response (after the stream, for {@code events}).
 * Every line is one JSON object (UTF-8, ending in {@code \n}).
 *
 * <pre>
 * requests   {"v":1,"op":"list"}
 *            {"v":1,"op":"info","machine":"NAME"}
 *            {"v":1,"op":"transition","machine":"NAME","event":"EVENT"}
 *            {"v":1,"op":"events"[,"machine":"NAME"]}
 *            "v" may be left out (means 1); a request longer than {@value #MAX_REQUEST_BYTES} bytes is refused.
 * responses  every line carries "v" (the agent's protocol version) and "ok":
 *   error      {"v":1,"ok":false,"error":"one line","code":"not_found|invalid|failure"}
 *   list       {"v":1,"ok":true,"identity":"node"[,"noop":true],"machines":[MACHINE, ...][,"failed":[FAILED, ...]]}
 *              machines sorted by name; "failed" (directories whose machine does not load, sorted by name) only when
 *              there are some; "noop" only when the agent runs in noop mode ({@code tend agent --noop})
 *   info       {"v":1,"ok":true,"machine":MACHINE}
 *   transition {"v":1,"ok":true,"machine":"NAME","event":"EVENT","from_state":"A","to_state":"B"}
 *   events     {"v":1,"ok":true}, then one CloudEvent (structured JSON) per line until the client disconnects or the
 *              agent stops; a client too slow to keep up gets a final error line and is disconnected.
 * MACHINE    {"name":"..","version":"..","state":"..","path":"/dir","instance_id":"uuid",
 *             "start_time":"2021-07-13T10:38:10Z" (or null before the watchers started),
 *             "available_transitions":["a","b"],
 *             "watchers":[{"name":"..","type":"exec","active":true,"state":{...the watcher's own fields...}}]
 *             [,"warnings":[{"file":"/dir/machine.yaml","line":3,"where":"..","message":".."}]],
 *             "state_since":"2021-07-13T10:38:10Z","time_in_state":"10m0s","data":{...}}
 *            "warnings" (what loading the file warned about) is there only when there are some; an older agent never
 *            sends it, and an older client ignores it. Likewise what an agent added later, each an addition an older
 *            client ignores: "state_since" (when the current state was entered), "time_in_state" (how long ago, a Go
 *            duration, when the status was made), "data" (the machine's data once a watcher opened it), and in a
 *            watcher "last_run" (only once it ran):
 *            {"outcome":"error","exit_code":1,"started":"2021-07-13T10:38:10Z","duration":"1.5s","output_tail":".."}
 *            with "exit_code" null when nothing exited, and "next" (only when the watcher said what it does next):
 *            {"what":"expires","at":"2021-07-13T10:48:10Z","in":"9m58s"}; and "resume" (only for a machine that resumes
 *            its state and found a saved one when it was loaded):
 *            {"resumed":true,"state":"maintenance","saved":"2021-07-13T10:38:10Z"} or, when it started in its initial
 *            state instead, {"resumed":false,"state":"..","saved":"..","reason":"definition changed since state .. was
 *            saved"}. The nanoseconds of the watchers' duration
 *            fields (previous_run_time, timer) are written as Go durations ("10m0s"), as every duration here.
 * FAILED     {"name":"dir name","path":"/dir","state":"FAILED","error":"/dir/machine.yaml:3: ..","problems":[".."]}
 * </pre>
 *
 * A client that gets a {@code "v"} greater than its own talks to a newer agent and says so; an agent given a greater
 * {@code "v"} answers {@code invalid}.
 */
public final class ControlProtocol {

    /** The protocol version this build speaks. */
    public static final int VERSION = 1;

    /** The longest request line the server reads. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    static final String OP_LIST = "list";
    static final String OP_INFO = "info";
    static final String OP_TRANSITION = "transition";
    static final String OP_EVENTS = "events";

    /**
     * The object mapper, made on first use: {@code tend machine list}, {@code info} and {@code transition} read and
     * write their lines with {@link JsonLines} (jackson-core only), and a cold {@code ObjectMapper} costs a short
     * command more than the rest of it. The agent makes one when it answers.
     */
    private static final class Mapper {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ControlProtocol() {
    }

    /**
     * The {@code MACHINE} object of a machine's status (also {@code tend machine list/info --json}), without what
     * depends on the time it is read ({@code time_in_state}, a watcher's {@code next.in}): see
     * {@link #machine(MachineStatus, Instant)}.
     */
    public static ObjectNode machine(MachineStatus s) {
        return machine(s, null);
    }

    /**
     * The {@code MACHINE} object of a machine's status, with the time in its state and until each watcher's next step
     * as they are at {@code now} (left out when {@code now} is null).
     */
    public static ObjectNode machine(MachineStatus s, Instant now) {
        ObjectNode n = NODES.objectNode();
        n.put("name", s.name());
        n.put("version", s.version());
        n.put("state", s.state());
        n.put("path", s.path());
        n.put("instance_id", s.instanceId());
        if (s.startTime() == null) {
            n.putNull("start_time");
        } else {
            n.put("start_time", s.startTime().toString());
        }
        ArrayNode transitions = n.putArray("available_transitions");
        for (String t : s.availableTransitions()) {
            transitions.add(t);
        }
        ArrayNode watchers = n.putArray("watchers");
        for (WatcherStatus w : s.watchers()) {
            ObjectNode wn = watchers.addObject();
            wn.put("name", w.name());
            wn.put("type", w.type());
            wn.put("active", w.active());
            // As the events write them (durations in integer nanoseconds): scripts compare numbers; people read them in
            // tend machine info's text and on the status page, which show Go durations.
            wn.set("state", value(w.state()));
            if (w.lastRun() != null) {
                wn.set("last_run", run(w.lastRun()));
            }
            if (w.next() != null) {
                ObjectNode next = wn.putObject("next");
                next.put("what", w.next().what());
                next.put("at", w.next().at().toString());
                if (now != null) {
                    next.put("in", Durations.format(w.nextIn(now).truncatedTo(ChronoUnit.MILLIS)));
                }
            }
        }
        if (!s.warnings().isEmpty()) {
            ArrayNode warnings = n.putArray("warnings");
            for (Problem p : s.warnings()) {
                warnings.addObject()
                        .put("file", p.file().toString())
                        .put("line", p.line())
                        .put("where", p.where())
                        .put("message", p.message());
            }
        }
        if (s.stateSince() != null) {
            n.put("state_since", s.stateSince().toString());
        }
        if (now != null && s.stateSince() != null) {
            n.put("time_in_state", Durations.format(s.timeInState(now).truncatedTo(ChronoUnit.MILLIS)));
        }
        n.set("data", value(s.data()));
        if (s.resume() != null) {
            ObjectNode r = n.putObject("resume");
            r.put("resumed", s.resume().resumed());
            r.put("state", s.resume().state());
            r.put("saved", s.resume().saved().toString());
            if (s.resume().reason() != null) {
                r.put("reason", s.resume().reason());
            }
        }
        return n;
    }

    /** The {@code FAILED} object of a machine directory whose machine does not load. */
    public static ObjectNode failure(LoadFailure f) {
        ObjectNode n = NODES.objectNode();
        n.put("name", f.name());
        n.put("path", f.path());
        n.put("state", LoadFailure.STATE);
        n.put("error", f.error());
        ArrayNode problems = n.putArray("problems");
        for (String p : f.problems()) {
            problems.add(p);
        }
        return n;
    }

    /** The failure a {@code FAILED} object describes. */
    public static LoadFailure loadFailure(JsonNode n) throws ControlException {
        if (n == null || !n.isObject()) {
            throw malformed("a failed machine is not a JSON object");
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode p : n.path("problems")) {
            problems.add(p.asText());
        }
        if (problems.isEmpty()) {
            problems.add(n.path("error").asText("failed to load"));
        }
        return new LoadFailure(n.path("name").asText(), n.path("path").asText(), problems);
    }

    private static ObjectNode run(WatcherRun r) {
        ObjectNode n = NODES.objectNode();
        n.put("outcome", r.outcome());
        if (r.exitCode() == null) {
            n.putNull("exit_code");
        } else {
            n.put("exit_code", r.exitCode());
        }
        n.put("started", r.started().toString());
        n.put("duration", Durations.format(r.duration()));
        n.put("output_tail", r.outputTail());
        return n;
    }

    private static WatcherRun run(JsonNode n) throws ControlException {
        try {
            JsonNode code = n.path("exit_code");
            return new WatcherRun(n.path("outcome").asText(), code.isIntegralNumber() ? code.asInt() : null,
                    InstantText.parse(n.path("started").asText()), Durations.parse(n.path("duration").asText("0")),
                    n.path("output_tail").asText(""));
        } catch (DateTimeParseException | InvalidInputException e) {
            throw malformed("a watcher's last_run: " + e.getMessage());
        }
    }

    /** The status a {@code MACHINE} object describes; watcher state values come back as JSON-like Java values. */
    public static MachineStatus machineStatus(JsonNode n) throws ControlException {
        if (n == null || !n.isObject()) {
            throw malformed("a machine is not a JSON object");
        }
        List<WatcherStatus> watchers = new ArrayList<>();
        for (JsonNode w : n.path("watchers")) {
            Map<String, Object> state = new LinkedHashMap<>();
            // Loops rather than lambdas here and below: the first lambda of a short command costs it milliseconds.
            for (Iterator<Map.Entry<String, JsonNode>> f = w.path("state").fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> e = f.next();
                state.put(e.getKey(), JsonLines.toJava(e.getValue()));
            }
            JsonNode lastRun = w.path("last_run");
            JsonNode next = w.path("next");
            WatcherNext watcherNext = null;
            if (next.isObject()) {
                try {
                    watcherNext = new WatcherNext(next.path("what").asText(), InstantText.parse(next.path("at").asText()));
                } catch (DateTimeParseException e) {
                    throw malformed("a watcher's next: " + e.getMessage());
                }
            }
            watchers.add(new WatcherStatus(w.path("name").asText(), w.path("type").asText(),
                    w.path("active").asBoolean(), state, lastRun.isObject() ? run(lastRun) : null, watcherNext));
        }
        List<String> transitions = new ArrayList<>();
        for (JsonNode t : n.path("available_transitions")) {
            transitions.add(t.asText());
        }
        Instant started = null;
        JsonNode start = n.path("start_time");
        if (start.isTextual()) {
            try {
                started = InstantText.parse(start.asText());
            } catch (DateTimeParseException e) {
                throw malformed("start_time \"" + start.asText() + "\" is not an RFC 3339 time");
            }
        }
        List<Problem> warnings = new ArrayList<>();
        for (JsonNode w : n.path("warnings")) {
            try {
                warnings.add(new Problem(Path.of(w.path("file").asText()), w.path("line").asInt(),
                        w.path("where").asText(), w.path("message").asText()));
            } catch (InvalidPathException e) {
                throw malformed("a warning's file is not a path: " + e.getMessage());
            }
        }
        Instant since = null;
        try {
            if (n.path("state_since").isTextual()) {
                since = InstantText.parse(n.path("state_since").asText());
            }
        } catch (DateTimeParseException e) {
            throw malformed("state_since: " + e.getMessage());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> f = n.path("data").fields(); f.hasNext(); ) {
            Map.Entry<String, JsonNode> e = f.next();
            data.put(e.getKey(), JsonLines.toJava(e.getValue()));
        }
        ResumeOutcome resume = null;
        JsonNode r = n.path("resume");
        if (r.isObject()) {
            try {
                boolean resumed = r.path("resumed").asBoolean();
                resume = new ResumeOutcome(resumed, r.path("state").asText(), InstantText.parse(r.path("saved").asText()),
                        resumed ? null : r.path("reason").asText("not resumed"));
            } catch (DateTimeParseException e) {
                throw malformed("resume: " + e.getMessage());
            }
        }
        return new MachineStatus(n.path("name").asText(), n.path("version").asText(), n.path("state").asText(),
                n.path("path").asText(), n.path("instance_id").asText(), started, transitions, watchers, warnings,
                since, data, resume);
    }

    /** {@code {"machine","event","from_state","to_state"}}: a transition's outcome (also {@code --json}). */
    public static ObjectNode transition(TransitionOutcome t) {
        ObjectNode n = NODES.objectNode();
        n.put("machine", t.machine());
        n.put("event", t.event());
        n.put("from_state", t.fromState());
        n.put("to_state", t.toState());
        return n;
    }

    /** A successful response's first fields. */
    static ObjectNode ok() {
        ObjectNode n = NODES.objectNode();
        n.put("v", VERSION);
        n.put("ok", true);
        return n;
    }

    /** An error response. */
    static ObjectNode error(ControlException.Code code, String message) {
        ObjectNode n = NODES.objectNode();
        n.put("v", VERSION);
        n.put("ok", false);
        n.put("error", oneLine(message));
        n.put("code", code.wire());
        return n;
    }

    static String line(JsonNode node) {
        return JsonLines.write(node);
    }

    static String oneLine(String message) {
        String m = message == null ? "" : message.strip();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    static ControlException malformed(String what) {
        return new ControlException(ControlException.Code.FAILURE, "malformed response from the agent: " + what);
    }

    /**
     * A watcher's state value as JSON: maps, collections, strings, numbers and booleans as themselves, times as RFC
     * 3339, durations in Go's form, anything else as its string (a watcher's field must never break a response).
     */
    public static JsonNode value(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        // Loops rather than lambdas: a short command's first lambda costs it milliseconds (tend machine info).
        if (v instanceof Map<?, ?> map) {
            ObjectNode n = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n.set(String.valueOf(e.getKey()), value(e.getValue()));
            }
            return n;
        }
        if (v instanceof Collection<?> list) {
            ArrayNode a = NODES.arrayNode();
            for (Object e : list) {
                a.add(value(e));
            }
            return a;
        }
        if (v instanceof Object[] array) {
            return value(java.util.Arrays.asList(array));
        }
        // The common kinds as the object mapper's valueToTree makes them (ControlProtocolTest compares), without it:
        // the agent answers a list with every machine's watcher states, mostly in code not yet compiled.
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i.intValue());
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l.longValue());
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d.doubleValue());
        }
        if (v instanceof Number) {
            return Mapper.MAPPER.valueToTree(v);
        }
        if (v instanceof Instant t) {
            return NODES.textNode(t.toString());
        }
        if (v instanceof Duration d) {
            return NODES.textNode(Durations.format(d));
        }
        return NODES.textNode(v.toString());
    }
}
