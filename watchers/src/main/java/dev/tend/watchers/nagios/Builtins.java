package dev.tend.watchers.nagios;

import dev.tend.machine.spi.WatcherContext;

/**
 * The checks Tend runs itself ({@code builtin}): {@code heartbeat}, always {@code OK} with the time as unix seconds.
 */
class Builtins {

    CheckResult run(NagiosProperties properties, WatcherContext context) {
        String name = properties.builtin();
        if (NagiosProperties.HEARTBEAT.equals(name)) {
            return CheckResult.of(NagiosStatus.OK, Long.toString(context.clock().instant().getEpochSecond()), name);
        }
        return CheckResult.of(NagiosStatus.UNKNOWN, "UNKNOWN: unsupported builtin \"" + name + "\"", name);
    }
}
