package dev.tend.fleet.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An ed25519 private key, held as its 32-byte seed. In files it is what Choria's tooling writes and reads (the seed
 * file of {@code choria machine plugins pack}): the seed as 64 lower-case hex digits, no newline, mode 0600. Choria also
 * takes a private key given as text: Go's 64-byte private key (seed then public key) as 128 hex digits
 * ({@link #fromPrivateKeyHex}). {@link #toString()} never shows the key.
 */
public final class SigningKey {

    private final byte[] seed;
    private final VerifyKey publicKey;

    private SigningKey(byte[] seed) {
        this.seed = seed.clone();
        this.publicKey = VerifyKey.of(Ed25519.publicKey(seed));
    }

    /** A new key from the system's strong randomness. */
    public static SigningKey generate() {
        return new SigningKey(Ed25519.newSeed(new SecureRandom()));
    }

    /** @throws SpecException when the text is not 64 hex digits */
    public static SigningKey fromSeedHex(String hex) throws SpecException {
        byte[] seed = Hex.decode(hex, "the seed");
        if (seed.length != Ed25519.SEED_SIZE) {
            throw new SpecException("the seed must be " + Ed25519.SEED_SIZE + " bytes (" + 2 * Ed25519.SEED_SIZE
                    + " hex digits), not " + seed.length);
        }
        return new SigningKey(seed);
    }

    /**
     * Go's private key form: the seed and the public key, 128 hex digits.
     *
     * @throws SpecException when the text is not 128 hex digits or its public half is not the seed's
     */
    public static SigningKey fromPrivateKeyHex(String hex) throws SpecException {
        byte[] key = Hex.decode(hex, "the private key");
        if (key.length != Ed25519.SEED_SIZE + Ed25519.PUBLIC_KEY_SIZE) {
            throw new SpecException("the private key must be " + (Ed25519.SEED_SIZE + Ed25519.PUBLIC_KEY_SIZE)
                    + " bytes (" + 2 * (Ed25519.SEED_SIZE + Ed25519.PUBLIC_KEY_SIZE) + " hex digits), not "
                    + key.length);
        }
        SigningKey signing = new SigningKey(Arrays.copyOf(key, Ed25519.SEED_SIZE));
        if (!Arrays.equals(signing.publicKey.bytes(), Arrays.copyOfRange(key, Ed25519.SEED_SIZE, key.length))) {
            throw new SpecException("the private key's public half is not its seed's public key");
        }
        return signing;
    }

    /**
     * Reads a seed file: the seed in hex, as Choria writes it. Choria reads the file's bytes exactly; a trailing
     * newline, which an editor may add, is accepted here too.
     *
     * @throws SpecException when the file holds no seed
     * @throws IOException   when it cannot be read
     */
    public static SigningKey readSeedFile(Path file) throws IOException, SpecException {
        if (Files.size(file) > 1024) {
            throw new SpecException(file + " is not a seed file: " + Files.size(file) + " bytes");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        try {
            return fromSeedHex(text);
        } catch (SpecException e) {
            throw new SpecException(file + ": " + e.getMessage());
        }
    }

    /** Writes the seed file (hex, no newline), created with mode 0600 where the file system has POSIX modes. */
    public void writeSeedFile(Path file) throws IOException {
        byte[] text = seedHex().getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.write(file, text, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The seed as 64 lower-case hex digits (what a seed file holds). */
    public String seedHex() {
        return Hex.encode(seed);
    }

    /** Go's private key form: seed then public key, 128 hex digits. */
    public String privateKeyHex() {
        return seedHex() + publicKey.hex();
    }

    public VerifyKey publicKey() {
        return publicKey;
    }

    /** The signature (64 bytes) of the message; ed25519 is deterministic, so the same bytes every time. */
    public byte[] sign(byte[] message) {
        return Ed25519.sign(seed, message);
    }

    @Override
    public String toString() {
        return "SigningKey[public " + publicKey.hex() + "]";
    }
}
