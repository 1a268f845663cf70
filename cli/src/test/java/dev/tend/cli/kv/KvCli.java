package dev.tend.cli.kv;

import dev.tend.cli.Cli;
import dev.tend.cli.command.Prompter;
import dev.tend.kv.KvStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs {@code tend kv ...} in-process on a temp embedded store, capturing stdout (as bytes too) and stderr. */
final class KvCli {

    /** What one run gave. */
    record Result(int code, byte[] outBytes, String err) {
        String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out() + "--- stderr ---\n" + err;
        }
    }

    final Path dir;
    final String url;
    final Map<String, String> env = new HashMap<>();
    Prompter prompter = q -> null;
    byte[] stdin = new byte[0];
    final List<String> questions = new ArrayList<>();

    KvCli(Path dir) {
        this.dir = dir;
        this.url = dir.toUri().toString();
        env.put("NO_COLOR", "1");
        env.put("TZ", "UTC");
        env.put("HOME", dir.resolve("home").toString());
    }

    /** {@code tend kv --store <url> args...} */
    Result kv(String... args) {
        List<String> all = new ArrayList<>(List.of("kv", "--store", url));
        all.addAll(List.of(args));
        return tend(all.toArray(String[]::new));
    }

    /** {@code tend kv --store <url> args...}, its standard output copied to {@code live} as it is written. */
    Result kvSeen(ByteArrayOutputStream live, String... args) {
        List<String> all = new ArrayList<>(List.of("kv", "--store", url));
        all.addAll(List.of(args));
        return run(live, all.toArray(String[]::new));
    }

    /**
     * {@code tend kv --store <url> watch BUCKET options...} with this environment until it printed {@code shown}, then
     * ended by removing the bucket (a watch ends when its bucket goes): however long a loaded machine takes to show it,
     * and no longer.
     */
    Result watchUntilShown(String bucket, String shown, String... options) throws Exception {
        KvCli watcher = new KvCli(dir);
        watcher.env.putAll(env);
        List<String> args = new ArrayList<>(List.of("watch", bucket));
        args.addAll(List.of(options));
        ByteArrayOutputStream live = new ByteArrayOutputStream();
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "kv-cli-watch"));
        try {
            Future<Result> watch = thread.submit(() -> watcher.kvSeen(live, args.toArray(String[]::new)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!live.toString(StandardCharsets.UTF_8).contains(shown)) {
                if (watch.isDone()) {
                    throw new AssertionError("the watch ended before it showed " + shown + ": " + watch.get());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the watch did not show " + shown + " within 30s");
                }
                Thread.sleep(10);
            }
            Result rm = kv("rm", bucket, "-f");
            if (rm.code() != 0) {
                throw new AssertionError("cannot remove " + bucket + ": " + rm);
            }
            Result r = watch.get(30, TimeUnit.SECONDS);
            if (r.code() != 0) {
                throw new AssertionError("the watch failed: " + r);
            }
            return r;
        } finally {
            thread.shutdownNow();
        }
    }

    /** {@code tend args...} with this run's environment, stdin and prompter. */
    Result tend(String... args) {
        return run(null, args);
    }

    private Result run(ByteArrayOutputStream live, String... args) {
        ByteArrayOutputStream out = live == null ? new ByteArrayOutputStream() : new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                live.write(b, off, len);
            }

            @Override
            public synchronized void write(int b) {
                super.write(b);
                live.write(b);
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Prompter recording = q -> {
            questions.add(q);
            return prompter.confirm(q);
        };
        int code = new Cli(new ByteArrayInputStream(stdin), out, err, env, recording).execute(args);
        stdin = new byte[0];
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    KvCli answering(Boolean answer) {
        this.prompter = q -> answer;
        return this;
    }

    KvCli stdin(byte[] bytes) {
        this.stdin = bytes;
        return this;
    }

    /** The store, opened directly, to set up or inspect state. */
    KvStore store() {
        return KvStore.open(url);
    }
}
