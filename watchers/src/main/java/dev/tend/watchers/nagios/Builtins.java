package dev.tend.watchers.nagios;

import dev.tend.machine.spi.WatcherContext;

/**
 * The checks Tend runs itself ({@code builtin}): {@code heartbeat}, always {@code OK} with the time as unix seconds;
 * {@code goss} ({@link GossCheck}); {@code choria_status} ({@link AgentStatusCheck}). Blocking: runs as a check's
 * waiting work.
 */
class Builtins {

    CheckResult run(NagiosProperties properties, WatcherContext context, NagiosSettings settings, PluginRun runner) {
        String name = properties.builtin();
        return switch (name) {
            case NagiosProperties.HEARTBEAT -> CheckResult.of(NagiosStatus.OK,
                    Long.toString(context.clock().instant().getEpochSecond()), name);
            case NagiosProperties.GOSS -> GossCheck.run(properties, context, settings, runner);
            case NagiosProperties.CHORIA_STATUS -> AgentStatusCheck.run(properties, context);
            default -> CheckResult.of(NagiosStatus.UNKNOWN, "UNKNOWN: unsupported builtin \"" + name + "\"", name);
        };
    }
}
