package dev.tend.kv.nats;

import dev.tend.kv.InvalidInputException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TLS context for PEM files, as nats-server and the {@code nats} tool take them: a CA certificate that signs
 * the server's certificate, and for mutual TLS a client certificate with its PKCS#8 private key. jnats itself only
 * reads Java key stores, and the JDK reads PEM certificates and PKCS#8 keys, so no other library is needed.
 */
final class NatsTls {
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    /** What a PKCS#8 key may be: the key algorithms nats-server's certificates use. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private NatsTls() {
    }

    /**
     * A TLS context that trusts {@code ca} (or the JVM's trust store when null) and presents {@code cert} with
     * {@code key} (when given; both or neither).
     *
     * @throws InvalidInputException naming the file when one cannot be read or is not what it should be
     */
    static SSLContext context(Path ca, Path cert, Path key) {
        if ((cert == null) != (key == null)) {
            throw new InvalidInputException(cert == null
                    ? "a TLS client key (" + key + ") needs its certificate too (--tls-cert)"
                    : "a TLS client certificate (" + cert + ") needs its private key too (--tls-key)");
        }
        try {
            TrustManager[] trust = checkingHosts(ca == null ? null : trustStore(ca));
            KeyManager[] keys = cert == null ? null : keyManagers(cert, key);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException("cannot set up TLS: " + NatsErrors.oneLine(e), e);
        }
    }

    /** The CA file's certificates as a trust store. */
    private static KeyStore trustStore(Path ca) throws GeneralSecurityException {
        KeyStore store = emptyKeyStore();
        int i = 0;
        for (Certificate c : certificates(ca, "TLS CA")) {
            store.setCertificateEntry("ca-" + i++, c);
        }
        return store;
    }

    /** The JDK's trust managers for {@code store} (null: the JVM's trust store), also checking the host name. */
    private static TrustManager[] checkingHosts(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        TrustManager[] managers = factory.getTrustManagers();
        for (int i = 0; i < managers.length; i++) {
            if (managers[i] instanceof X509ExtendedTrustManager x) {
                managers[i] = new HostCheckingTrustManager(x);
            }
        }
        return managers;
    }

    private static KeyManager[] keyManagers(Path cert, Path key) throws GeneralSecurityException {
        Certificate[] chain = certificates(cert, "TLS client certificate").toArray(Certificate[]::new);
        PrivateKey privateKey = privateKey(key);
        KeyStore store = emptyKeyStore();
        char[] password = new char[0]; // the key store lives only in memory
        store.setKeyEntry("client", privateKey, password, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private static Collection<? extends Certificate> certificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new InvalidInputException("the " + what + " file " + file + " holds no PEM certificate");
            }
            return certs;
        } catch (CertificateException e) {
            throw new InvalidInputException("the " + what + " file " + file + " is not a PEM certificate: "
                    + NatsErrors.oneLine(e), e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the " + what + " file " + file + ": "
                    + NatsErrors.oneLine(e), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the TLS key file " + file + ": " + NatsErrors.oneLine(e), e);
        }
        Matcher m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                return pkcs8(file, m.group(2));
            }
            if (type.endsWith("PRIVATE KEY")) {
                // PKCS#1 (RSA PRIVATE KEY), SEC1 (EC PRIVATE KEY) or an encrypted key: the JDK reads none of them.
                throw new InvalidInputException("the TLS key file " + file + " holds a \"" + type + "\": Tend reads "
                        + "unencrypted PKCS#8 keys (BEGIN PRIVATE KEY); convert it with openssl pkcs8 -topk8 -nocrypt"
                        + " -in " + file + " -out key.pem");
            }
        }
        throw new InvalidInputException("the TLS key file " + file + " holds no PEM private key (BEGIN PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(Path file, String base64) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the TLS key file " + file + " is not valid PEM: " + e.getMessage(), e);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new InvalidInputException("the TLS key file " + file + " holds a private key of an unknown kind (Tend"
                + " reads RSA, EC and Ed25519 keys)");
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty in-memory key store cannot fail to load", e);
        }
        return store;
    }
}
