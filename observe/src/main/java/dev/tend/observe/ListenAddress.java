package dev.tend.observe;

/**
 * Where the listener binds, as {@code tend agent --listen} and the config file's {@code listen:} write it:
 * {@code HOST:PORT}, {@code [IPv6]:PORT}, or {@code :PORT} / {@code PORT} alone for the loopback address
 * ({@value #LOOPBACK}). The port is 0 to 65535 (0: any free port). The host is not resolved here: {@link
 * ObserveListener#start()} does that, and reports an unknown host.
 *
 * @param host a host name or address, without brackets
 * @param port the TCP port
 */
public record ListenAddress(String host, int port) {

    /** The host when none is given: the listener is reachable from this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final int MAX_PORT = 65_535;
    private static final String EXAMPLE = " (e.g. 127.0.0.1:9100, or :9100 for 127.0.0.1)";

    public ListenAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a listen address needs a host");
        }
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("a listen port is 0 to " + MAX_PORT + ", not " + port);
        }
    }

    /** A bound address, as {@code boundAddress()} gives it: its numeric host and port. */
    public static ListenAddress of(java.net.InetSocketAddress bound) {
        return new ListenAddress(bound.getAddress().getHostAddress(), bound.getPort());
    }

    /** The loopback address on {@code port}. */
    public static ListenAddress loopback(int port) {
        return new ListenAddress(LOOPBACK, port);
    }

    /**
     * Reads {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} or {@code PORT}.
     *
     * @throws IllegalArgumentException with a one-line message quoting {@code text} when it is none of these
     */
    public static ListenAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a listen address is HOST:PORT" + EXAMPLE + ", not an empty value");
        }
        String t = text.strip();
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw bad(text, close < 0 ? "no closing ]" : "no port after the IPv6 address");
            }
            host = t.substring(1, close);
            port = t.substring(close + 2);
        } else {
            int colon = t.lastIndexOf(':');
            if (colon < 0) {
                if (isDigits(t)) {
                    return loopback(port(text, t));
                }
                throw bad(text, "no port");
            }
            if (t.indexOf(':') != colon) {
                throw bad(text, "an IPv6 address is written in brackets, [::1]:9100");
            }
            host = t.substring(0, colon);
            port = t.substring(colon + 1);
        }
        if (port.isEmpty()) {
            throw bad(text, "no port");
        }
        if (host.isEmpty()) {
            host = LOOPBACK;
        } else if (!validHost(host)) {
            throw bad(text, "\"" + host + "\" is not a host name or address");
        }
        return new ListenAddress(host, port(text, port));
    }

    private static int port(String text, String port) {
        if (!isDigits(port) || port.length() > 5 || Integer.parseInt(port) > MAX_PORT) {
            throw bad(text, "the port must be a number from 0 to " + MAX_PORT);
        }
        return Integer.parseInt(port);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Letters, digits, dots, hyphens (names and IPv4), or colons and hex digits (IPv6, from brackets). */
    private static boolean validHost(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '-' || c == ':' || c == '%' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad listen address \"" + text + "\": " + why + "; it is HOST:PORT"
                + EXAMPLE);
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
