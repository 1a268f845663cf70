package dev.tend.watchers.plugins;

/**
 * The {@code machines} watcher type, Choria's older form of {@code plugins}: the list under {@code machines}, signed over
 * its decoded bytes, the manager machines always {@code mm_<name>}, the machines extracted into the machines directory
 * (docs/watchers.md, section {@code machines}).
 */
public final class MachinesWatcherFactory extends ManagerFactory {

    public static final String TYPE = "machines";

    public MachinesWatcherFactory() {
        super(SpecForm.MACHINES);
    }
}
