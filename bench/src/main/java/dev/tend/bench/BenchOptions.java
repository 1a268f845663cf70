package dev.tend.bench;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line of {@link KvBench} and the scale it implies.
 *
 * @param quick      a fast smoke run: small counts, one measured run each
 * @param big        run scenario 9 (one million keys opened within 512 MB of heap): by default in a full run only
 * @param dataParent the directory in which the run makes its own fresh data directory
 * @param keep       keep the data directory after the run
 * @param runs       measured repetitions of each throughput scenario
 * @param only       the scenarios to run (empty: all)
 * @param rawOps     forced appends per run in scenario 1
 * @param putOps     puts per run in scenarios 2 and 3
 * @param warmPuts   puts before measuring in scenarios 2, 3, 5 and 6
 * @param getOps     gets per thread per run in scenario 4
 * @param historyOps history calls per run in scenario 7
 * @param watchOps   measured puts in scenario 5
 * @param xprocOps   measured puts in scenario 6
 * @param openKeys   keys of the bucket opened in scenario 8
 * @param bigKeys    keys of the bucket opened in scenario 9
 * @param rounds     interleaved rounds of scenarios 10 and 11 (embedded vs NATS)
 * @param blockMillis how long each variant runs in one round of scenario 10
 * @param nats       measure the NATS columns of scenario 10 (false with --no-nats)
 * @param natsUrl    the NATS server to use (--nats), or null to start one
 */
record BenchOptions(boolean quick, boolean big, Path dataParent, boolean keep, int runs, Set<Integer> only,
                    int rawOps, int putOps, int warmPuts, int getOps, int historyOps, int watchOps, int xprocOps,
                    int openKeys, int bigKeys, int rounds, long blockMillis, boolean nats, String natsUrl) {

    static final int FULL_OPEN_KEYS = 100_000;
    static final int FULL_BIG_KEYS = 1_000_000;

    static final String USAGE = """
            usage: bench/run [--quick] [--big|--no-big] [--dir DIR] [--keep] [--runs N] [--only 1,2,...]
                             [--rounds N] [--block-ms MS] [--nats URL | --no-nats]

              --quick     fast smoke run (small counts, one measured run); figures are indicative only
              --big       run scenario 9 also in a quick run (a full run includes it; it takes about a minute)
              --no-big    skip scenario 9 (writing 1,000,000 keys, then opening them with -Xmx512m)
              --dir DIR   make the data directory inside DIR (default: java.io.tmpdir, i.e. /tmp)
              --keep      keep the data directory afterwards
              --runs N    measured repetitions per throughput scenario (default 3, quick 1)
              --only L    run only the listed scenarios, e.g. --only 1,2,5
              --rounds N  interleaved rounds of scenarios 10 and 11 (default 5, quick 2)
              --block-ms MS  how long each variant runs per round in scenario 10 (default 1000, quick 250);
                          scenario 11's windows are twice that, at least 2 s (quick 1 s)
              --nats URL  scenarios 10 and 11: use the NATS server at URL (nats://host:port) instead of starting
                          nats-server (/usr/sbin or the PATH) on a temporary directory
              --no-nats   scenarios 10 and 11: measure the embedded column only

            scenarios: 1 raw disk force rate, 2 sequential durable put, 3 put from 8 threads,
                       4 get, 5 watch latency in-process, 6 watch latency cross-process,
                       7 history, 8 open of 100,000 keys, 9 open of 1,000,000 keys in 512 MB,
                       10 embedded vs NATS (Tend on NATS and raw jnats: put, 8 threads, get, history, watch),
                       11 put from 8 writer processes (child JVMs) vs 8 NATS connections
            """;

    boolean selected(int scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    /** Parses the arguments; throws {@link IllegalArgumentException} with a one-line message on a bad one. */
    static BenchOptions parse(String[] args) {
        boolean quick = false;
        Boolean big = null;
        boolean keep = false;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        int runs = -1;
        int rounds = -1;
        long blockMillis = -1;
        boolean nats = true;
        String natsUrl = null;
        Set<Integer> only = new TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--full" -> quick = false;
                case "--big" -> big = true;
                case "--no-big" -> big = false;
                case "--keep" -> keep = true;
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                case "--runs" -> runs = positive(value(args, ++i, a), a);
                case "--rounds" -> rounds = positive(value(args, ++i, a), a);
                case "--block-ms" -> blockMillis = positive(value(args, ++i, a), a);
                case "--no-nats" -> nats = false;
                case "--nats" -> {
                    natsUrl = value(args, ++i, a).strip();
                    if (!natsUrl.startsWith("nats://") || natsUrl.length() == "nats://".length()) {
                        throw new IllegalArgumentException("--nats: expected nats://host:port, not \"" + natsUrl
                                + "\"");
                    }
                }
                case "--only" -> {
                    for (String s : value(args, ++i, a).split(",")) {
                        int n = positive(s.trim(), a);
                        if (n > 11) {
                            throw new IllegalArgumentException("--only: there is no scenario " + n + " (1..11)");
                        }
                        only.add(n);
                    }
                }
                case "-h", "--help" -> throw new HelpRequested();
                default -> throw new IllegalArgumentException("unknown option \"" + a + "\"");
            }
        }
        if (only.contains(9)) {
            big = true;
        }
        if (!nats && natsUrl != null) {
            throw new IllegalArgumentException("--nats and --no-nats contradict each other");
        }
        if (big == null) {
            big = !quick;
        }
        if (quick) {
            return new BenchOptions(true, big, dir, keep, runs > 0 ? runs : 1, only,
                    1_000, 1_000, 200, 200_000, 20_000, 500, 500, 20_000, 100_000,
                    rounds > 0 ? rounds : 2, blockMillis > 0 ? blockMillis : 250, nats, natsUrl);
        }
        return new BenchOptions(false, big, dir, keep, runs > 0 ? runs : 3, only,
                20_000, 20_000, 2_000, 2_000_000, 500_000, 20_000, 20_000, FULL_OPEN_KEYS, FULL_BIG_KEYS,
                rounds > 0 ? rounds : 5, blockMillis > 0 ? blockMillis : 1_000, nats, natsUrl);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String s, String option) {
        try {
            int n = Integer.parseInt(s);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": expected a positive number, not \"" + s + "\"");
        }
    }

    /** --help was given. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }
}
