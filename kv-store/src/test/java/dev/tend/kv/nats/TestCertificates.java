package dev.tend.kv.nats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the {@code openssl} command in a directory: a CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate signed by it, and a second CA that signed nothing Tend sees. Keys are
 * EC P-256 in PKCS#8 PEM (what {@code openssl req -nodes} writes).
 */
public record TestCertificates(Path dir) {

    public static TestCertificates create(Path dir) {
        TestCertificates c = new TestCertificates(dir);
        c.ca("ca");
        c.ca("other-ca");
        c.signed("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        c.signed("wrong-host", "ca", "subjectAltName=DNS:elsewhere.example");
        c.signed("client", "ca", "extendedKeyUsage=clientAuth");
        return c;
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server-key.pem");
    }

    /** A server certificate signed by the CA for another host name. */
    public Path wrongHostCert() {
        return dir.resolve("wrong-host.pem");
    }

    public Path wrongHostKey() {
        return dir.resolve("wrong-host-key.pem");
    }

    public Path clientCert() {
        return dir.resolve("client.pem");
    }

    public Path clientKey() {
        return dir.resolve("client-key.pem");
    }

    /** nats-server's {@code tls} block: this server certificate; with {@code verify}, a client certificate required. */
    public String serverConfig(Path cert, Path key, boolean verify) {
        return "tls {\n  cert_file: \"" + cert + "\"\n  key_file: \"" + key + "\"\n  ca_file: \"" + ca()
                + "\"\n  verify: " + verify + "\n  timeout: 10\n}\n";
    }

    private void ca(String name) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".pem", "-days", "2", "-subj", "/CN=tend test " + name);
    }

    private void signed(String name, String ca, String extension) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile(dir, "openssl-", ".log");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl did not finish: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (install it: apt-get install openssl): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
