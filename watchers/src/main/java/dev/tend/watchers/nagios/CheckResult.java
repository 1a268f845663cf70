package dev.tend.watchers.nagios;

/**
 * What one check gave.
 *
 * @param status  its status
 * @param output  the plugin's output (stdout and stderr together), or the reason it could not run
 * @param plugin  the command line as run (rendered), or the builtin's name
 * @param stopped a stop cut the check short: nothing is reported
 */
record CheckResult(NagiosStatus status, String output, String plugin, boolean stopped) {

    static CheckResult of(NagiosStatus status, String output, String plugin) {
        return new CheckResult(status, output, plugin, false);
    }

    static CheckResult stopped(String plugin) {
        return new CheckResult(NagiosStatus.UNKNOWN, "", plugin, true);
    }
}
