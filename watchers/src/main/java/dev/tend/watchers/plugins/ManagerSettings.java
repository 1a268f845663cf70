package dev.tend.watchers.plugins;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One watcher's decoded properties.
 *
 * @param form             which watcher
 * @param dataItem         the data key holding the specification
 * @param purgeUnknown     remove manager machines (and what they manage) not in the specification, or not matching
 * @param manageInterval   the interval of the manager machines' archive watchers
 * @param publicKey        the {@code public_key} property (hex); empty: none (the agent's key, if any, wins)
 * @param pluginsDirectory where the archives are extracted; empty: the machines directory
 * @param prefix           the manager machines' prefix
 */
record ManagerSettings(SpecForm form, String dataItem, boolean purgeUnknown, Duration manageInterval, String publicKey,
                       Optional<Path> pluginsDirectory, String prefix) {
}
