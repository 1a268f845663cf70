package dev.tend.watchers.nagios;

/**
 * A check's result, with the reference's codes: a plugin's exit status 0-3 is its status, any other is
 * {@link #UNKNOWN}. {@link #NOTCHECKED} is the watcher's status before its first check; it fires nothing and is never
 * written to the Prometheus file.
 */
enum NagiosStatus {
    OK(0), WARNING(1), CRITICAL(2), UNKNOWN(3), NOTCHECKED(5);

    private final int code;

    NagiosStatus(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** Whether it is one of the four statuses a check gives (and the transitions it fires are named after). */
    boolean isCheckResult() {
        return this != NOTCHECKED;
    }

    static NagiosStatus ofExit(int exit) {
        return switch (exit) {
            case 0 -> OK;
            case 1 -> WARNING;
            case 2 -> CRITICAL;
            default -> UNKNOWN;
        };
    }

    /**
     * The status recorded when the machine enters {@code state} without a check (e.g. an operator's transition): the
     * four status names as they are; any other state counts as {@link #OK}, as in the reference.
     */
    static NagiosStatus ofState(String state) {
        return switch (state) {
            case "WARNING" -> WARNING;
            case "CRITICAL" -> CRITICAL;
            case "UNKNOWN" -> UNKNOWN;
            default -> OK;
        };
    }
}
