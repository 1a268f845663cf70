package dev.tend.cli.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lower-case hex, as {@code sha256sum} prints it. */
final class Sha256 {

    private final MessageDigest digest;

    Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    MessageDigest digest() {
        return digest;
    }

    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    static String hex(byte[] bytes) {
        Sha256 s = new Sha256();
        s.digest.update(bytes);
        return s.hex();
    }

    static String of(Path file) throws IOException {
        Sha256 s = new Sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                s.digest.update(buffer, 0, n);
            }
        }
        return s.hex();
    }
}
