package dev.tend.fleet.spec;

import java.util.Objects;

/**
 * One entry of a specification's list: a machine (or plugin) to deploy, with the fields and JSON names of Choria's
 * {@code ManagedPlugin}. An absent field is the empty string, as in Go.
 *
 * @param name           the machine's name: its manager machine is {@code <prefix>_<name>} and the archive creates the
 *                       directory {@code <name>}
 * @param source         where the archive is ({@code http://}, {@code https://}, {@code file://}, {@code kv://})
 * @param username       basic authentication user; may be empty
 * @param password       basic authentication password; may be empty
 * @param verifyChecksum SHA-256 (hex) of the {@code SHA256SUMS} file inside the archive's directory
 * @param checksum       SHA-256 (hex) of the archive
 * @param match          an expression (expr syntax) the node must satisfy; empty matches every node
 * @param governor       a concurrency governor the download takes a slot of; may be empty
 */
public record PluginItem(String name, String source, String username, String password, String verifyChecksum,
                         String checksum, String match, String governor) {

    public PluginItem {
        name = Objects.requireNonNullElse(name, "");
        source = Objects.requireNonNullElse(source, "");
        username = Objects.requireNonNullElse(username, "");
        password = Objects.requireNonNullElse(password, "");
        verifyChecksum = Objects.requireNonNullElse(verifyChecksum, "");
        checksum = Objects.requireNonNullElse(checksum, "");
        match = Objects.requireNonNullElse(match, "");
        governor = Objects.requireNonNullElse(governor, "");
    }

    /** An item without credentials, matcher or governor. */
    public static PluginItem of(String name, String source, String checksum, String verifyChecksum) {
        return new PluginItem(name, source, "", "", verifyChecksum, checksum, "", "");
    }

    public PluginItem withMatch(String expression) {
        return new PluginItem(name, source, username, password, verifyChecksum, checksum, expression, governor);
    }

    public PluginItem withGovernor(String value) {
        return new PluginItem(name, source, username, password, verifyChecksum, checksum, match, value);
    }

    public PluginItem withCredentials(String user, String secret) {
        return new PluginItem(name, source, user, secret, verifyChecksum, checksum, match, governor);
    }

    /** The first required field that is empty, as Choria's watcher checks them, in one line; empty when complete. */
    public java.util.Optional<String> problem() {
        if (name.isEmpty()) {
            return java.util.Optional.of("name is required");
        }
        if (source.isEmpty()) {
            return java.util.Optional.of("source is required for " + name);
        }
        if (checksum.isEmpty()) {
            return java.util.Optional.of("checksum is required for " + name);
        }
        if (verifyChecksum.isEmpty()) {
            return java.util.Optional.of("verify_checksum is required for " + name);
        }
        return java.util.Optional.empty();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "PluginItem[name=" + name + ", source=" + source + ", username=" + username + ", password="
                + (password.isEmpty() ? "" : "***") + ", verifyChecksum=" + verifyChecksum + ", checksum=" + checksum
                + ", match=" + match + ", governor=" + governor + "]";
    }
}
