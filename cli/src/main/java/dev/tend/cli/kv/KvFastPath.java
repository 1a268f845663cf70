package dev.tend.cli.kv;

import dev.tend.cli.command.PlainArgs;
import dev.tend.cli.command.PlainArgs.Shape;
import dev.tend.cli.store.StoreModeSetting;
import dev.tend.kv.InvalidInputException;
import dev.tend.units.Durations;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The short {@code kv} commands scripts call in loops, made without picocli: {@code put}, {@code create},
 * {@code update}, {@code del}, {@code get}, {@code keys}, {@code ls}, {@code info}, {@code history} and {@code watch}
 * (which a process that stays runs: without picocli's model of every command it holds less) in their plain shape ({@link PlainArgs}), with {@code --store} and {@code --store-mode} before or after the subcommand's name. It
 * builds the same command object picocli would (the subcommand with its {@code KvCommand} parent) and sets the fields
 * picocli would set, so the command itself runs unchanged. Any other shape (help, NATS flags, {@code --debug}, a
 * mistake) is left to picocli. picocli's annotations stay the definition of every option: the table here lists only
 * what this path accepts, and {@code KvFastPathTest} checks it against picocli's model and checks that both paths
 * answer and fail alike.
 */
public final class KvFastPath {

    private static final Set<String> KV_OPTIONS = Set.of("--store", StoreModeSetting.OPTION);

    /** The subcommands served, by canonical name, with the arguments each accepts after its name. */
    static final Map<String, Shape> SHAPES = Map.of(
            "put", shape(Set.of(), Set.of(), 3, 3),
            "create", shape(Set.of(), Set.of(), 3, 3),
            "update", shape(Set.of(), Set.of("--revision"), 3, 3),
            "del", shape(Set.of("-f", "--force"), Set.of(), 2, 2),
            "get", shape(Set.of("--raw", "--json"), Set.of("--revision"), 2, 2),
            "keys", shape(Set.of("--json"), Set.of(), 1, 2),
            "ls", shape(Set.of("--json"), Set.of(), 0, 0),
            "info", shape(Set.of("--json"), Set.of(), 1, 1),
            "history", shape(Set.of("--json"), Set.of(), 2, 2),
            "watch", shape(Set.of("--latest", "--updates-only", "--once", "--json"), Set.of("--timeout"), 1, 2));

    private KvFastPath() {
    }

    private static Shape shape(Set<String> flags, Set<String> values, int min, int max) {
        Set<String> all = new java.util.HashSet<>(values);
        all.addAll(KV_OPTIONS);
        return new Shape(flags, Set.copyOf(all), min, max);
    }

    /**
     * The command {@code args} (the whole command line, {@code kv} first) runs, ready to call, or null when it is not
     * one of the plain shapes served here.
     */
    public static Callable<Integer> parse(String[] args, KvContext context) {
        if (args.length < 2 || !args[0].equals("kv")) {
            return null;
        }
        KvCommand kv = new KvCommand(context);
        int i = 1;
        while (i < args.length && args[i].startsWith("-")) {
            String a = args[i];
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (!KV_OPTIONS.contains(name)) {
                return null;
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || !kv.storeOptions.set(name, value)) {
                return null;
            }
            i++;
        }
        if (i >= args.length) {
            return null;
        }
        String name = KvCommand.ALIASES.getOrDefault(args[i], args[i]);
        Shape shape = SHAPES.get(name);
        if (shape == null || args[i].startsWith("@")) {
            return null;
        }
        PlainArgs a = PlainArgs.parse(args, i + 1, shape);
        if (a == null) {
            return null;
        }
        for (String option : KV_OPTIONS) {
            String value = a.value(option);
            if (value != null && !kv.storeOptions.set(option, value)) {
                return null;
            }
        }
        KvSubcommand command = command(name, a);
        if (command != null) {
            command.kv = kv;
        }
        return command;
    }

    private static KvSubcommand command(String name, PlainArgs a) {
        java.util.List<String> p = a.positional();
        switch (name) {
            case "put", "create", "update" -> {
                KvValueWrite w;
                if (name.equals("update")) {
                    Long revision = PlainArgs.plainLong(a.value("--revision"));
                    if (revision == null) {
                        return null;
                    }
                    KvUpdate u = new KvUpdate();
                    u.revision = revision;
                    w = u;
                } else {
                    w = name.equals("put") ? new KvPut() : new KvCreate();
                }
                w.bucket = p.get(0);
                w.key = p.get(1);
                w.value = p.get(2);
                return w;
            }
            case "del" -> {
                if (a.has("-f") && a.has("--force")) {
                    return null;
                }
                KvDel d = new KvDel();
                d.bucket = p.get(0);
                d.key = p.get(1);
                d.force = a.has("-f") || a.has("--force");
                return d;
            }
            case "get" -> {
                KvGet g = new KvGet();
                if (a.value("--revision") != null) {
                    g.revision = PlainArgs.plainLong(a.value("--revision"));
                    if (g.revision == null) {
                        return null;
                    }
                }
                g.bucket = p.get(0);
                g.key = p.get(1);
                g.raw = a.has("--raw");
                g.json = a.has("--json");
                return g;
            }
            case "keys" -> {
                KvKeys k = new KvKeys();
                k.bucket = p.get(0);
                k.filter = p.size() > 1 ? p.get(1) : null;
                k.json = a.has("--json");
                return k;
            }
            case "ls" -> {
                KvLs l = new KvLs();
                l.json = a.has("--json");
                return l;
            }
            case "info" -> {
                KvInfo in = new KvInfo();
                in.bucket = p.get(0);
                in.json = a.has("--json");
                return in;
            }
            case "history" -> {
                KvHistory h = new KvHistory();
                h.bucket = p.get(0);
                h.key = p.get(1);
                h.json = a.has("--json");
                return h;
            }
            case "watch" -> {
                KvWatch w = new KvWatch();
                if (a.value("--timeout") != null) {
                    try {
                        w.timeout = Durations.parse(a.value("--timeout"));
                    } catch (InvalidInputException e) {
                        return null; // picocli's converter reports it
                    }
                }
                w.bucket = p.get(0);
                w.filter = p.size() > 1 ? p.get(1) : null;
                w.latest = a.has("--latest");
                w.updatesOnly = a.has("--updates-only");
                w.once = a.has("--once");
                w.json = a.has("--json");
                return w;
            }
            default -> {
                return null;
            }
        }
    }
}
