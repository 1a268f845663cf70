package dev.tend.fleet.spec;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

/**
 * Ed25519 on the JDK's provider, with keys as raw bytes as Go's {@code crypto/ed25519} holds them: a 32-byte seed (the
 * RFC 8032 private key) and a 32-byte encoded public key (y little-endian, the sign of x in the top bit).
 */
final class Ed25519 {

    static final int SEED_SIZE = 32;
    static final int PUBLIC_KEY_SIZE = 32;
    static final int SIGNATURE_SIZE = 64;

    private Ed25519() {
    }

    /** The public key of a seed (the JDK has no direct way: its generator is given the seed as its randomness). */
    static byte[] publicKey(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            KeyPair pair = generator.generateKeyPair();
            return encode(((EdECPublicKey) pair.getPublic()).getPoint());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no usable Ed25519: " + e.getMessage(), e);
        }
    }

    static byte[] newSeed(SecureRandom random) {
        byte[] seed = new byte[SEED_SIZE];
        random.nextBytes(seed);
        return seed;
    }

    static byte[] sign(byte[] seed, byte[] message) {
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no usable Ed25519: " + e.getMessage(), e);
        }
    }

    /** Whether the signature is good; false, as Go's {@code ed25519.Verify}, also for a malformed key or signature. */
    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_SIZE || signature.length != SIGNATURE_SIZE) {
            return false;
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, decode(publicKey)));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException | java.security.spec.InvalidKeySpecException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no usable Ed25519: " + e.getMessage(), e);
        }
    }

    private static byte[] encode(EdECPoint point) {
        byte[] big = point.getY().toByteArray();
        byte[] out = new byte[PUBLIC_KEY_SIZE];
        for (int i = 0; i < big.length && i < PUBLIC_KEY_SIZE; i++) {
            out[i] = big[big.length - 1 - i];
        }
        if (point.isXOdd()) {
            out[PUBLIC_KEY_SIZE - 1] |= (byte) 0x80;
        }
        return out;
    }

    private static EdECPoint decode(byte[] encoded) {
        byte[] big = new byte[PUBLIC_KEY_SIZE];
        for (int i = 0; i < PUBLIC_KEY_SIZE; i++) {
            big[i] = encoded[PUBLIC_KEY_SIZE - 1 - i];
        }
        boolean xOdd = (big[0] & 0x80) != 0;
        big[0] &= 0x7f;
        return new EdECPoint(xOdd, new BigInteger(1, big));
    }

    /** Randomness that is the given bytes: makes the JDK's generator derive the key pair of a known seed. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("asked for " + out.length + " bytes, holding " + bytes.length);
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
