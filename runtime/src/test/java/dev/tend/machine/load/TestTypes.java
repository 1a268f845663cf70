package dev.tend.machine.load;

import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Watcher types with the reference's properties (exec §3.1, file §2.5) and a {@code probe} type with one property of
 * every {@link PropertyType}, for the loader's tests.
 */
final class TestTypes {

    private TestTypes() {
    }

    static SpecFactory exec() {
        return new SpecFactory("exec", List.of(
                PropertySpec.of("command", PropertyType.STRING).required().templated()
                        .describedAs("The command to run; exit 0 is success."),
                PropertySpec.of("timeout", PropertyType.DURATION).withDefault(Duration.ofSeconds(10))
                        .describedAs("Kill the command after this long."),
                PropertySpec.of("environment", PropertyType.STRING_LIST).templated(),
                PropertySpec.of("governor", PropertyType.STRING).templated(),
                PropertySpec.of("governor_timeout", PropertyType.DURATION),
                PropertySpec.of("parse_as_data", PropertyType.BOOLEAN).withDefault(false),
                PropertySpec.of("suppress_success_announce", PropertyType.BOOLEAN).withDefault(false),
                PropertySpec.of("gather_initial_state", PropertyType.BOOLEAN).withDefault(false),
                PropertySpec.of("disown", PropertyType.BOOLEAN).withDefault(false)),
                (def, problems) -> {
                    if (def.properties().bool("disown") && def.properties().bool("parse_as_data")) {
                        problems.report("parse_as_data", "cannot parse output as data while disowning child processes");
                    }
                    if (!def.interval().isZero() && def.interval().compareTo(Duration.ofMillis(500)) < 0) {
                        problems.report(null, "interval must be at least 500ms");
                    }
                });
    }

    static SpecFactory file() {
        return new SpecFactory("file", List.of(
                PropertySpec.of("path", PropertyType.STRING).required(),
                PropertySpec.of("gather_initial_state", PropertyType.BOOLEAN).withDefault(false),
                PropertySpec.of("contents", PropertyType.STRING).withAliases("content").templated(),
                PropertySpec.of("owner", PropertyType.STRING).templated(),
                PropertySpec.of("group", PropertyType.STRING).templated(),
                PropertySpec.of("mode", PropertyType.STRING).templated()),
                (def, problems) -> {
                    if (def.properties().isSet("contents")) {
                        for (String p : List.of("owner", "group", "mode")) {
                            if (!def.properties().isSet(p)) {
                                problems.report(null, p + " is required when contents is set");
                            }
                        }
                    }
                });
    }

    /** One property of each type, an allowed-values string, and a check that throws (a buggy plugin) and one that warns. */
    static SpecFactory probe() {
        return new SpecFactory("probe", List.of(
                PropertySpec.of("text", PropertyType.STRING),
                PropertySpec.of("flag", PropertyType.BOOLEAN),
                PropertySpec.of("count", PropertyType.INTEGER).withDefault(3L),
                PropertySpec.of("wait", PropertyType.DURATION),
                PropertySpec.of("tags", PropertyType.STRING_LIST),
                PropertySpec.of("labels", PropertyType.MAP),
                PropertySpec.of("extra", PropertyType.ANY),
                PropertySpec.of("mode", PropertyType.STRING).allowing("poll", "watch").withDefault("poll"),
                PropertySpec.of("level", PropertyType.STRING).allowing("1", "2", "{{ x }}")),
                (def, problems) -> {
                    if (def.properties().integer("count", 0) == 13) {
                        throw new IllegalStateException("unlucky");
                    }
                    if (def.properties().integer("count", 0) > 100) {
                        problems.report("count", "must be at most 100");
                    }
                    if (def.properties().isSet("text") && "old".equals(def.properties().string("text"))) {
                        problems.warn("text", "\"old\" is ignored");
                    }
                });
    }

    static WatcherRegistry registry() {
        return WatcherRegistry.of(List.of(exec(), file(), probe()));
    }

    static Map<String, Object> map(Object... kv) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
