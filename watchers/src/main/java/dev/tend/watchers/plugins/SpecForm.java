package dev.tend.watchers.plugins;

/**
 * The two watchers' differences: {@code plugins} (a prefix of one's choosing, a plugins directory, the signature over
 * the base64 text, {@code get_fact} in matchers) and Choria's older {@code machines} (prefix {@code mm}, the machines
 * directory, the signature over the decoded list, no {@code get_fact}).
 */
enum SpecForm {
    PLUGINS("plugins", "plugin_manage_interval"),
    MACHINES("machines", "machine_manage_interval");

    private final String type;
    private final String intervalProperty;

    SpecForm(String type, String intervalProperty) {
        this.type = type;
        this.intervalProperty = intervalProperty;
    }

    /** The watcher type, which is also the list's field in the specification and the names' field in events. */
    String type() {
        return type;
    }

    String intervalProperty() {
        return intervalProperty;
    }
}
