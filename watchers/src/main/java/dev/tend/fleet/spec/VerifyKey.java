package dev.tend.fleet.spec;

import java.util.Arrays;

/** An ed25519 public key: 32 bytes, written as 64 lower-case hex digits (Choria's {@code public_key}). */
public final class VerifyKey {

    private final byte[] bytes;

    private VerifyKey(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    static VerifyKey of(byte[] bytes) {
        return new VerifyKey(bytes);
    }

    /** @throws SpecException when the text is not hex, or not 32 bytes */
    public static VerifyKey fromHex(String hex) throws SpecException {
        byte[] key = Hex.decode(hex, "the public key");
        if (key.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new SpecException("the public key must be " + Ed25519.PUBLIC_KEY_SIZE + " bytes ("
                    + 2 * Ed25519.PUBLIC_KEY_SIZE + " hex digits), not " + key.length);
        }
        return new VerifyKey(key);
    }

    /**
     * Reads a public key file: the key in hex, as {@code choria machine plugins verify} reads it (a trailing newline is
     * accepted).
     *
     * @throws SpecException when the file holds no public key
     * @throws java.io.IOException when it cannot be read
     */
    public static VerifyKey readFile(java.nio.file.Path file) throws java.io.IOException, SpecException {
        if (java.nio.file.Files.size(file) > 1024) {
            throw new SpecException(file + " is not a public key file: " + java.nio.file.Files.size(file) + " bytes");
        }
        try {
            return fromHex(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip());
        } catch (SpecException e) {
            throw new SpecException(file + ": " + e.getMessage());
        }
    }

    public String hex() {
        return Hex.encode(bytes);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Checks a hex signature of the message.
     *
     * @param what what was signed, for the message ({@code "the plugins specification"})
     * @throws SpecException when the signature is empty, not hex, or does not verify with this key
     */
    public void verify(byte[] message, String signatureHex, String what) throws SpecException {
        if (signatureHex.isEmpty()) {
            throw new SpecException(what + " has no signature");
        }
        byte[] signature = Hex.decode(signatureHex, "the signature of " + what);
        if (signature.length != Ed25519.SIGNATURE_SIZE) {
            throw new SpecException("the signature of " + what + " must be " + Ed25519.SIGNATURE_SIZE + " bytes, not "
                    + signature.length);
        }
        if (!Ed25519.verify(bytes, message, signature)) {
            throw new SpecException("the signature of " + what + " does not verify with public key " + hex());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
