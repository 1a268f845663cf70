package dev.tend.cli.store;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.StoreMode;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who may read and write an embedded store's files ({@link StoreMode}), first match wins: {@code --store-mode},
 * {@code TEND_STORE_MODE}, {@code store_mode:} in the config files (the user's, then the system's), else
 * {@code owner}. The values are {@code owner} (files 0600, directories 0700) and {@code group} (0660, 2770).
 */
public final class StoreModeSetting {
    public static final String OPTION = "--store-mode";
    public static final String ENV = "TEND_STORE_MODE";
    public static final String KEY = "store_mode";
    private static final String VALUES = "owner or group";

    private StoreModeSetting() {
    }

    /**
     * The store mode.
     *
     * @param option      the {@code --store-mode} value, or null
     * @param configFiles the config files, as for the store ({@link StoreLocator#configFiles()})
     * @throws InvalidInputException naming the value and where it came from when it is neither owner nor group
     */
    public static StoreMode resolve(String option, Map<String, String> env, List<Path> configFiles) {
        if (option != null) {
            return parse(option, OPTION);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parse(fromEnv, ENV);
        }
        for (Path config : configFiles) {
            String value = StoreLocator.settingIfMentioned(config, KEY, VALUES);
            if (value != null) {
                return parse(value, KEY + " in " + config);
            }
        }
        return StoreMode.OWNER;
    }

    private static StoreMode parse(String value, String source) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("owner")) {
            return StoreMode.OWNER;
        }
        if (v.equals("group")) {
            return StoreMode.GROUP;
        }
        throw new InvalidInputException(source + " must be " + VALUES + ", not \"" + value + "\"");
    }
}
