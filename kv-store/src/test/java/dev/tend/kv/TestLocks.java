package dev.tend.kv;

/**
 * The names of the resource locks ({@code @ResourceLock}) that keep certain test classes apart while test classes run
 * side by side (docs/architecture.md, Tests). The other modules' tests use them too, through this module's test-jar.
 */
public final class TestLocks {

    /**
     * The machine's CPUs. A class that keeps them busy for seconds (child JVMs, crash loops, many writing threads)
     * holds it {@code READ}: such classes may run together. A class whose waits have deadlines that a starved process
     * can miss (a NATS cluster's elections and leader changes) holds it {@code READ_WRITE}: it never runs beside a
     * busy class (nor beside another such class), only beside the light ones.
     */
    public static final String CPU = "tend.cpu";

    private TestLocks() {
    }
}
