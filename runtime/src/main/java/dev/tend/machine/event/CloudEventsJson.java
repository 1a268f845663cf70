package dev.tend.machine.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tend.machine.json.GoNumbers;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Machine events as CloudEvents 1.0 in structured JSON mode, one object per event:
 * <pre>
 * {"specversion":"1.0","id":"&lt;uuid&gt;","source":"dev.tend.machine","type":"dev.tend.machine.v1.transition",
 *  "datacontenttype":"application/json","subject":"&lt;identity&gt;","time":"2024-05-01T10:00:00Z","data":{...}}
 * </pre>
 * {@code data} carries the fields of Choria's machine events (docs/machines.md, Events): {@code protocol} (the type),
 * {@code identity}, {@code id} (the machine's instance id), {@code version}, {@code timestamp} (unix seconds),
 * {@code machine}, then for a transition {@code transition}, {@code from_state}, {@code to_state}, and for a watcher
 * {@code type}, {@code name} and the watcher's own fields. Durations in those fields are written as nanoseconds (as
 * Go writes them), times as ISO-8601, paths as plain text.
 */
public final class CloudEventsJson {

    /** The CloudEvents {@code source} of every machine event. */
    public static final URI SOURCE = URI.create("dev.tend.machine");

    private static final Pattern WATCHER_TYPE = Pattern.compile("dev\\.tend\\.machine\\.watcher\\.(.+)\\.v1\\.state");
    private static final Set<String> COMMON_FIELDS =
            Set.of("protocol", "identity", "id", "version", "timestamp", "type", "machine", "name");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(GoNumbers.module())
            .registerModule(new SimpleModule("tend-event-values")
            .addSerializer(Duration.class, new GoDurationSerializer())
            .addSerializer(Temporal.class, ToStringSerializer.instance)
            .addSerializer(Path.class, ToStringSerializer.instance)); // Jackson's own writes a file: URI
    private static final JsonFormat FORMAT = new JsonFormat();

    private CloudEventsJson() {
    }

    /** The event as UTF-8 JSON, without a trailing newline. */
    public static byte[] encode(MachineEvent event) {
        return FORMAT.serialize(toCloudEvent(event));
    }

    public static String encodeToString(MachineEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** The event's {@code data} object, as it is written. */
    public static Map<String, Object> data(MachineEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("protocol", event.type());
        data.put("identity", identity(event));
        data.put("id", event.instanceId());
        data.put("version", event.version());
        data.put("timestamp", event.time().getEpochSecond());
        if (event instanceof TransitionEvent t) {
            data.put("machine", t.machine());
            data.put("transition", t.transition());
            data.put("from_state", t.fromState());
            data.put("to_state", t.toState());
        } else if (event instanceof WatcherStateEvent w) {
            data.put("type", w.watcherType());
            data.put("machine", w.machine());
            data.put("name", w.watcherName());
            w.fields().forEach(data::putIfAbsent); // the common fields win over a watcher's own of the same name
        }
        return data;
    }

    /** The event as a CloudEvent (for transports with their own bindings, e.g. NATS). */
    public static CloudEvent toCloudEvent(MachineEvent event) {
        Objects.requireNonNull(event.time(), "event time");
        JsonNode data = JSON.valueToTree(data(event));
        return CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(SOURCE)
                .withType(event.type())
                .withSubject(identity(event))
                .withTime(OffsetDateTime.ofInstant(event.time().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(JsonCloudEventData.wrap(data))
                .build();
    }

    /**
     * Reads back an event this class wrote (e.g. a line of the events file).
     *
     * @throws MalformedEventException when the text is not JSON, not a CloudEvent, or not a Tend machine event
     */
    public static MachineEvent decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    public static MachineEvent decode(byte[] json) {
        CloudEvent event;
        try {
            event = FORMAT.deserialize(json);
        } catch (RuntimeException e) {
            throw new MalformedEventException("not a CloudEvent: " + firstLine(e), e);
        }
        if (!SOURCE.equals(event.getSource())) {
            throw new MalformedEventException("not a Tend machine event: source \"" + event.getSource() + "\"");
        }
        Map<String, Object> data = dataOf(event);
        Instant time = event.getTime() != null ? event.getTime().toInstant()
                : Instant.ofEpochSecond(number(data, "timestamp", event));
        String identity = data.get("identity") instanceof String s ? s : Objects.toString(event.getSubject(), "unknown");
        String type = event.getType();
        if (TransitionEvent.TYPE.equals(type)) {
            return new TransitionEvent(identity, text(data, "machine", event), text(data, "id", event),
                    text(data, "version", event), time, text(data, "transition", event),
                    text(data, "from_state", event), text(data, "to_state", event));
        }
        Matcher watcher = WATCHER_TYPE.matcher(type);
        if (watcher.matches()) {
            Map<String, Object> own = new LinkedHashMap<>(data);
            own.keySet().removeAll(COMMON_FIELDS);
            String watcherType = data.get("type") instanceof String s ? s : watcher.group(1);
            return new WatcherStateEvent(identity, text(data, "machine", event), text(data, "id", event),
                    text(data, "version", event), time, watcherType, text(data, "name", event), own);
        }
        throw new MalformedEventException("event " + event.getId() + ": unknown type \"" + type + "\"");
    }

    private static Map<String, Object> dataOf(CloudEvent event) {
        CloudEventData data = event.getData();
        if (data == null) {
            throw new MalformedEventException("event " + event.getId() + " has no data");
        }
        try {
            JsonNode node = data instanceof JsonCloudEventData j ? j.getNode() : JSON.readTree(data.toBytes());
            if (node == null || !node.isObject()) {
                throw new MalformedEventException("event " + event.getId() + ": data is not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.convertValue(node, LinkedHashMap.class);
            return map;
        } catch (IOException e) {
            throw new MalformedEventException("event " + event.getId() + ": data is not JSON: " + firstLine(e), e);
        }
    }

    private static String text(Map<String, Object> data, String field, CloudEvent event) {
        Object value = data.get(field);
        if (value == null) {
            throw new MalformedEventException("event " + event.getId() + ": data has no \"" + field + "\"");
        }
        return value.toString();
    }

    private static long number(Map<String, Object> data, String field, CloudEvent event) {
        if (data.get(field) instanceof Number n) {
            return n.longValue();
        }
        throw new MalformedEventException("event " + event.getId() + ": no time and no numeric \"" + field + "\"");
    }

    private static String identity(MachineEvent event) {
        return event.identity() == null || event.identity().isEmpty() ? "unknown" : event.identity();
    }

    /** The innermost cause's own message (the SDK wraps Jackson's errors in its own), first line only. */
    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t instanceof JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
        if (message == null) {
            message = t.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message).trim();
    }

    /** Go writes a {@code time.Duration} as integer nanoseconds; watchers' fields follow the reference. */
    private static final class GoDurationSerializer extends StdSerializer<Duration> {
        GoDurationSerializer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(value.toNanos());
        }
    }
}
