package dev.tend.cli.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.LogControl;
import dev.tend.cli.output.Json;
import dev.tend.cli.settings.ConfigKey;
import dev.tend.cli.settings.ConfigKeys;
import dev.tend.cli.settings.Source;
import dev.tend.cli.store.StoreModeSetting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tend config}: the effective settings, one per line, {@code KEY VALUE SOURCE} in aligned columns, where
 * SOURCE is {@code flag --x}, {@code env TEND_X}, {@code FILE:LINE} or {@code default} ({@code -} for a setting
 * that is unset and has no default). With {@code --json}: {@code {"files":[{"path","exists"}],"settings":[{"key",
 * "value","source":"flag|env|file|default", "flag"|"env"|"file","line"}]}}. The flags are those of the commands
 * that read the settings, to show what a command given them would use. A top-level key of a config file that no
 * command reads is a warning on stderr; a bad value is the one-line error the command that uses it gives.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Prints the effective settings and where each came from: a flag, an environment variable "
                + "(TEND_...), a config file's line, or the default.")
public final class ConfigCommand implements Callable<Integer> {

    private final Map<String, String> env;
    private final String[] commandLine;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Write the settings as a JSON object.")
    boolean json;

    @Option(names = "--store", paramLabel = "URL", description = "As the commands' --store.")
    String store;

    @Option(names = StoreModeSetting.OPTION, paramLabel = "owner|group", description = "As the commands' "
            + StoreModeSetting.OPTION + ".")
    String storeMode;

    @Option(names = "--events-prefix", paramLabel = "PREFIX", description = "As the agent's --events-prefix.")
    String eventsPrefix;

    @Option(names = "--machines", paramLabel = "DIR", description = "As the agent's --machines.")
    Path machines;

    @Option(names = "--state", paramLabel = "DIR", description = "As the agent's --state.")
    Path state;

    @Option(names = "--socket", paramLabel = "PATH", description = "As the agent's and the machine commands' "
            + "--socket.")
    Path socket;

    @Option(names = "--plugins", paramLabel = "DIR", description = "As the agent's --plugins.")
    Path plugins;

    @Option(names = "--facts", paramLabel = "FILE", description = "As the agent's --facts.")
    Path facts;

    @Option(names = "--identity", paramLabel = "NAME", description = "As the agent's --identity.")
    String identity;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "As the agent's --listen.")
    String listen;

    public ConfigCommand(Map<String, String> env) {
        this(env, new String[0]);
    }

    /** With the whole command line, for the log level and format it sets ({@code tend --log-level debug config}). */
    public ConfigCommand(Map<String, String> env, String[] commandLine) {
        this.env = env;
        this.commandLine = commandLine.clone();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EffectiveSettings settings = EffectiveSettings.of(env);
        List<EffectiveSettings.Row> rows = settings.rows(new EffectiveSettings.Flags(store, storeMode, eventsPrefix,
                machines, state, socket, plugins, facts, identity, listen), LogControl.levelIn(commandLine),
                LogControl.formatIn(commandLine));
        settings.warnUnknownKeys(w -> err.println("tend: " + w));
        err.flush();
        if (json) {
            out.println(Json.pretty(json(settings.configFiles(), rows)));
        } else {
            text(out, rows);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void text(PrintWriter out, List<EffectiveSettings.Row> rows) {
        int keyWidth = rows.stream().mapToInt(r -> r.key().length()).max().orElse(0);
        int valueWidth = rows.stream().mapToInt(r -> shown(r).length()).max().orElse(0);
        for (EffectiveSettings.Row r : rows) {
            out.println(pad(r.key(), keyWidth) + "  " + pad(shown(r), valueWidth) + "  " + r.source());
        }
    }

    private static String shown(EffectiveSettings.Row r) {
        return r.value() == null ? "-" : r.value();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static ObjectNode json(List<Path> files, List<EffectiveSettings.Row> rows) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        var fileArray = root.putArray("files");
        for (Path f : files) {
            fileArray.addObject().put("path", f.toString()).put("exists", Files.isRegularFile(f));
        }
        var settingArray = root.putArray("settings");
        for (EffectiveSettings.Row r : rows) {
            ObjectNode o = settingArray.addObject();
            o.put("key", r.key());
            if (r.value() == null) {
                o.putNull("value");
            } else {
                o.put("value", r.value());
            }
            Source s = r.source();
            o.put("source", s.kind().name().toLowerCase(java.util.Locale.ROOT));
            switch (s.kind()) {
                case FLAG -> o.put("flag", s.name());
                case ENV -> o.put("env", s.name());
                case FILE -> o.put("file", s.file().toString()).put("line", s.line());
                case DEFAULT -> { }
            }
            ConfigKey key = ConfigKeys.SHOWN.stream().filter(k -> k.key().equals(r.key())).findFirst().orElseThrow();
            o.put("env_var", key.env());
        }
        return root;
    }
}
