package dev.tend.cli;

import java.util.Map;

/**
 * Whether picocli would colour the help, decided as {@link Cli} and picocli's {@code Ansi.AUTO} decide it, without
 * loading picocli: no colours when {@code NO_COLOR} is set (to anything: picocli's rule; empty or not), colours when
 * {@code CLICOLOR_FORCE} is set to anything but {@code 0}, none when {@code CLICOLOR} is {@code 0} or
 * {@code ConEmuANSI} is {@code OFF}, else colours exactly when the JVM has a console. Where picocli's answer depends on
 * more (Windows, a Java whose console exists without a terminal), the answer is "unknown" and picocli decides.
 */
final class HelpColours {

    private HelpColours() {
    }

    /** True or false as picocli would colour, or null when only picocli can tell. */
    static Boolean enabled(Map<String, String> env) {
        return enabled(env, System.getProperty("os.name", ""), Runtime.version().feature(),
                System.console() != null);
    }

    static Boolean enabled(Map<String, String> env, String osName, int javaFeature, boolean console) {
        if (env.get("NO_COLOR") != null) {
            return false;
        }
        if (osName.toLowerCase(java.util.Locale.ROOT).contains("win")) {
            return null;
        }
        String force = env.get("CLICOLOR_FORCE");
        if (force != null && !force.equals("0")) {
            return true;
        }
        if ("0".equals(env.get("CLICOLOR")) || "OFF".equals(env.get("ConEmuANSI"))) {
            return false;
        }
        if (!console) {
            return false;
        }
        // From Java 22 a console exists without a terminal; picocli then asks Console.isTerminal.
        return javaFeature >= 22 ? null : Boolean.TRUE;
    }
}
