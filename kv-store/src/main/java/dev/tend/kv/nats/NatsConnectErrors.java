package dev.tend.kv.nats;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.StoreException;
import io.nats.client.AuthenticationException;

import javax.net.ssl.SSLException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Explains why a connection could not be made, in one line that names the problem (credentials refused, an
 * untrusted or wrong-host certificate, TLS required, no answer) and never holds a secret. jnats reports most of
 * the real causes to the error listener and throws a generic "unable to connect", so both are looked at.
 */
final class NatsConnectErrors {

    private NatsConnectErrors() {
    }

    static StoreException of(NatsUrl url, ConnectionOptions options, Exception thrown, List<Exception> problems) {
        String at = "NATS at " + url.redacted();
        List<Throwable> causes = new ArrayList<>();
        for (Exception p : problems) {
            addChain(causes, p);
        }
        addChain(causes, thrown);
        return new StoreException(explain(at, url, options, causes), thrown);
    }

    private static String explain(String at, NatsUrl url, ConnectionOptions options, List<Throwable> causes) {
        Throwable auth = find(causes, AuthenticationException.class);
        if (auth != null || anyMessage(causes, "Authorization Violation")) {
            String reason = auth != null ? serverReason(auth) : "Authorization Violation";
            return url.hasCredentials() || options.hasCredentials()
                    ? at + " refused the credentials: " + reason
                    : at + " requires credentials (" + reason + "): give a user and password, a token or a"
                    + " credentials file";
        }
        if (anyMessage(causes, "problem getting public key") || anyMessage(causes, "Invalid encoding")) {
            return "cannot connect to " + at + ": the NATS credentials file " + options.credentials()
                    + " holds no valid user seed";
        }
        if (anyMessage(causes, "SSL required by server")) {
            return at + " requires TLS: give the CA that signed its certificate (--tls-ca FILE), or trust it in the"
                    + " JVM's trust store";
        }
        if (anyMessage(causes, "SSL connection wanted by client")) {
            return at + " does not offer TLS, but TLS options were given";
        }
        Throwable untrusted = find(causes, CertPathBuilderException.class);
        if (untrusted != null || anyMessage(causes, "PKIX path")) {
            return "the TLS certificate of " + at + " is not signed by a trusted CA"
                    + (options.tlsCa() != null ? " (not by the CA in " + options.tlsCa() + ")"
                    : ": give the CA that signed it with --tls-ca FILE");
        }
        Throwable certificate = find(causes, CertificateException.class);
        if (certificate != null && certificate.getMessage() != null
                && certificate.getMessage().matches("(?s).*No (subject alternative )?names? matching.*")) {
            return "the TLS certificate of " + at + " is not for that host: " + NatsErrors.oneLine(certificate);
        }
        Throwable ssl = find(causes, SSLException.class);
        if (ssl != null) {
            return "the TLS handshake with " + at + " failed: " + NatsErrors.oneLine(ssl)
                    + (options.tlsCert() == null ? " (does the server require a client certificate? --tls-cert,"
                    + " --tls-key)" : "");
        }
        Throwable unknownHost = find(causes, UnknownHostException.class);
        if (unknownHost != null) {
            return "cannot connect to " + at + ": unknown host " + NatsErrors.oneLine(unknownHost);
        }
        if (find(causes, TimeoutException.class) != null) {
            return "cannot connect to " + at + ": no answer within " + seconds(options)
                    + (options.tlsCa() != null && options.tlsCert() == null ? " after the TLS handshake; if the"
                    + " server requires a client certificate, give --tls-cert and --tls-key" : "");
        }
        return "cannot connect to " + at + ": " + NatsErrors.oneLine(rootOfFirst(causes));
    }

    /** The root cause of the first problem reported (e.g. "Connection refused"), the most specific message. */
    private static Throwable rootOfFirst(List<Throwable> causes) {
        Throwable t = causes.get(0);
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String seconds(ConnectionOptions options) {
        long ms = options.connectTimeout().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** "Authorization Violation" from jnats' "Authentication error connecting to NATS server: ...". */
    private static String serverReason(Throwable auth) {
        String m = NatsErrors.oneLine(auth);
        int colon = m.lastIndexOf(": ");
        return colon >= 0 ? m.substring(colon + 2).strip() : m;
    }

    private static void addChain(List<Throwable> into, Throwable t) {
        for (Throwable c = t; c != null && !into.contains(c); c = c.getCause()) {
            into.add(c);
        }
    }

    private static Throwable find(List<Throwable> causes, Class<? extends Throwable> type) {
        for (Throwable c : causes) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }

    private static boolean anyMessage(List<Throwable> causes, String text) {
        for (Throwable c : causes) {
            if (c.getMessage() != null && c.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
