package dev.tend.fleet.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Specifications and keys made as Choria's code makes them, byte for byte. The key is RFC 8032's first test key (its
 * signature of the empty message is the RFC's); the expected list JSON is what Go's {@code json.Marshal} writes for
 * these items (field order, {@code omitempty}, HTML and control escapes); the expected base64 and signatures were
 * computed from those bytes with another ed25519 implementation (OpenSSL's, through Python's {@code cryptography}),
 * following Choria's steps: {@code plugins} is the base64 of the list, its signature is over that base64 text, and the
 * older {@code machines} form signs the decoded list.
 */
class PluginSpecTest {

    static final String SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    static final String EMPTY_MESSAGE_SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    /** Go's json.Marshal of the two items below. */
    static final String LIST_JSON = "[{\"name\":\"web\",\"source\":\"kv://FLEET/web-1.0.0.tgz\","
            + "\"verify_checksum\":\"d3ebf8e4ae71245c051b9cb50f3712befbbc2c38c2cdf6e8e374eb7e613b1d11\","
            + "\"checksum\":\"5e73881403990220ad5e63a971fb3b8fd8299087439843d38d856d3be053fdc0\","
            + "\"match\":\"identity(\\\"^web\\\\d+\\u003c\\u003e\\\") \\u0026\\u0026 get_fact(\\\"os.family\\\") =="
            + " \\\"Debian\\\"\"},"
            + "{\"name\":\"db\",\"source\":\"https://example.com/db.tgz\",\"username\":\"bob\","
            + "\"password\":\"p\\\"w\\\\\\n\\t\\b\\f\\u0001\\u2028\u00e9\uD83D\uDE00\",\"verify_checksum\":\"aa\","
            + "\"checksum\":\"bb\",\"governor\":\"DB\"}]";
    static final String PLUGINS = "W3sibmFtZSI6IndlYiIsInNvdXJjZSI6Imt2Oi8vRkxFRVQvd2ViLTEuMC4wLnRneiIsInZlcmlmeV9jaG"
            + "Vja3N1bSI6ImQzZWJmOGU0YWU3MTI0NWMwNTFiOWNiNTBmMzcxMmJlZmJiYzJjMzhjMmNkZjZlOGUzNzRlYjdlNjEzYjFkMTEiLCJjaGVja3"
            + "N1bSI6IjVlNzM4ODE0MDM5OTAyMjBhZDVlNjNhOTcxZmIzYjhmZDgyOTkwODc0Mzk4NDNkMzhkODU2ZDNiZTA1M2ZkYzAiLCJtYXRjaCI6Im"
            + "lkZW50aXR5KFwiXndlYlxcZCtcdTAwM2NcdTAwM2VcIikgXHUwMDI2XHUwMDI2IGdldF9mYWN0KFwib3MuZmFtaWx5XCIpID09IFwiRGViaW"
            + "FuXCIifSx7Im5hbWUiOiJkYiIsInNvdXJjZSI6Imh0dHBzOi8vZXhhbXBsZS5jb20vZGIudGd6IiwidXNlcm5hbWUiOiJib2IiLCJwYXNzd2"
            + "9yZCI6InBcIndcXFxuXHRcYlxmXHUwMDAxXHUyMDI4w6nwn5iAIiwidmVyaWZ5X2NoZWNrc3VtIjoiYWEiLCJjaGVja3N1bSI6ImJiIiwiZ2"
            + "92ZXJub3IiOiJEQiJ9XQ==";
    static final String SIGNATURE = "af2e6860f467b000e69239ddba492c3aed6a980041b1842035d3adae8b9a84d9"
            + "b97a959330284557ea3e60b24e36631ae3f1948bdeede23396b01b5ecb5cf302";

    static final String MACHINES = "W3sibmFtZSI6IndlYiIsInNvdXJjZSI6Imt2Oi8vRkxFRVQvd2ViLTEuMC4wLnRneiIsInVzZXJuYW1lIj"
            + "oiIiwicGFzc3dvcmQiOiIiLCJ2ZXJpZnlfY2hlY2tzdW0iOiJhYSIsImNoZWNrc3VtIjoiYmIiLCJtYXRjaCI6IiIsImdvdmVybm9yIjoiIn1d";
    static final String MACHINES_SIGNATURE = "df9c00bd5415432ec40b06eb2725c250e0b85069f188d5a2f8f6cee66bd8dd99"
            + "005da512142d732f73b31a68b5ef835dc24f2910b3ca85d8bf8af84f31b26605";

    static List<PluginItem> items() {
        return List.of(
                PluginItem.of("web", "kv://FLEET/web-1.0.0.tgz",
                                "5e73881403990220ad5e63a971fb3b8fd8299087439843d38d856d3be053fdc0",
                                "d3ebf8e4ae71245c051b9cb50f3712befbbc2c38c2cdf6e8e374eb7e613b1d11")
                        .withMatch("identity(\"^web\\d+<>\") && get_fact(\"os.family\") == \"Debian\""),
                PluginItem.of("db", "https://example.com/db.tgz", "bb", "aa")
                        .withCredentials("bob", "p\"w\\\n\t\b\f\u0001\u2028\u00e9\uD83D\uDE00")
                        .withGovernor("DB"));
    }

    @Test
    void theSeedGivesRfc8032sPublicKeyAndSignature() throws SpecException {
        SigningKey key = SigningKey.fromSeedHex(SEED);
        assertThat(key.publicKey().hex()).isEqualTo(PUBLIC);
        assertThat(Hex.encode(key.sign(new byte[0]))).isEqualTo(EMPTY_MESSAGE_SIGNATURE);
        assertThat(key.privateKeyHex()).isEqualTo(SEED + PUBLIC);
        assertThat(SigningKey.fromPrivateKeyHex(SEED + PUBLIC).publicKey().hex()).isEqualTo(PUBLIC);
    }

    @Test
    void theListIsWrittenAsGoWritesIt() throws SpecException {
        PluginSpec spec = PluginSpec.of(items());
        assertThat(new String(spec.listJson(), StandardCharsets.UTF_8)).isEqualTo(LIST_JSON);
        assertThat(spec.plugins()).isEqualTo(PLUGINS);
        assertThat(spec.signature()).isEmpty();
        assertThat(spec.toJson()).isEqualTo("{\"plugins\":\"" + PLUGINS + "\"}");
    }

    @Test
    void tendSignsWithChoriasBytes() throws SpecException {
        PluginSpec signed = PluginSpec.of(items()).signedWith(SigningKey.fromSeedHex(SEED));
        assertThat(signed.signature()).isEqualTo(SIGNATURE);
        assertThat(signed.toJson()).isEqualTo("{\"plugins\":\"" + PLUGINS + "\",\"signature\":\"" + SIGNATURE + "\"}");
    }

    @Test
    void choriasSpecificationVerifiesAndReadsBack() throws SpecException {
        PluginSpec spec = PluginSpec.fromData(Map.of("plugins", PLUGINS, "signature", SIGNATURE));
        spec.verify(VerifyKey.fromHex(PUBLIC));
        assertThat(spec.items()).isEqualTo(items());
        PluginSpec fromText = PluginSpec.fromData("{\"plugins\":\"" + PLUGINS + "\",\"signature\":\"" + SIGNATURE
                + "\"}");
        assertThat(fromText).isEqualTo(spec);
        VerifyKey.fromHex(PUBLIC.toUpperCase()).verify(PLUGINS.getBytes(StandardCharsets.US_ASCII),
                SIGNATURE.toUpperCase(), "upper-case hex, which Go reads too");
    }

    @Test
    void aListAsGivenIsSignedAsGiven() throws SpecException {
        byte[] indented = "[\n  {\n    \"name\": \"x\"\n  }\n]".getBytes(StandardCharsets.UTF_8);
        PluginSpec spec = PluginSpec.ofListJson(indented);
        assertThat(spec.listJson()).isEqualTo(indented);
        assertThat(spec.plugins()).isEqualTo(Base64.getEncoder().encodeToString(indented));
        assertThat(spec.items()).containsExactly(new PluginItem("x", "", "", "", "", "", "", ""));
        assertThat(spec.items().get(0).problem()).contains("source is required for x");
    }

    @Test
    void readingIsAsGoReads() throws SpecException {
        String json = "[{\"NAME\":\"a\",\"Source\":\"s\",\"checksum\":null,\"other\":1},null]";
        assertThatThrownBy(() -> PluginSpec.ofListJson(json.getBytes(StandardCharsets.UTF_8)).items())
                .isInstanceOf(SpecException.class)
                .hasMessage("item 2 of the list is a JSON null, not an object");
        String one = "[{\"NAME\":\"a\",\"Source\":\"s\",\"checksum\":null,\"other\":1}]";
        assertThat(PluginSpec.ofListJson(one.getBytes(StandardCharsets.UTF_8)).items())
                .containsExactly(new PluginItem("a", "s", "", "", "", "", "", ""));
        String lineBroken = PLUGINS.substring(0, 76) + "\r\n" + PLUGINS.substring(76);
        assertThat(new PluginSpec(lineBroken, "").items()).isEqualTo(items());
    }

    @Test
    void theMachinesFormSignsTheDecodedList() throws SpecException {
        List<PluginItem> machines = List.of(PluginItem.of("web", "kv://FLEET/web-1.0.0.tgz", "bb", "aa"));
        MachinesSpec spec = MachinesSpec.of(machines).signedWith(SigningKey.fromSeedHex(SEED));
        assertThat(spec.machines()).isEqualTo(MACHINES);
        assertThat(spec.signature()).isEqualTo(MACHINES_SIGNATURE);
        assertThat(spec.toJson()).isEqualTo("{\"machines\":\"" + MACHINES + "\",\"signature\":\""
                + MACHINES_SIGNATURE + "\"}");
        MachinesSpec read = MachinesSpec.fromData(Map.of("machines", MACHINES, "signature", MACHINES_SIGNATURE));
        read.verify(VerifyKey.fromHex(PUBLIC));
        assertThat(read.items()).isEqualTo(machines);
    }

    @Test
    void aBadSignatureIsOneClearLine() throws SpecException {
        VerifyKey key = VerifyKey.fromHex(PUBLIC);
        String other = SIGNATURE.substring(0, 10) + (SIGNATURE.charAt(10) == '0' ? '1' : '0') + SIGNATURE.substring(11);
        assertThatThrownBy(() -> new PluginSpec(PLUGINS, other).verify(key))
                .hasMessage("the signature of the plugins specification does not verify with public key " + PUBLIC);
        assertThatThrownBy(() -> new PluginSpec(PLUGINS, "").verify(key))
                .hasMessage("the plugins specification has no signature");
        assertThatThrownBy(() -> new PluginSpec(PLUGINS, "abcd").verify(key))
                .hasMessage("the signature of the plugins specification must be 64 bytes, not 2");
        assertThatThrownBy(() -> new PluginSpec(PLUGINS + "x", SIGNATURE).verify(key))
                .hasMessage("the signature of the plugins specification does not verify with public key " + PUBLIC);
        VerifyKey otherKey = SigningKey.generate().publicKey();
        assertThatThrownBy(() -> new MachinesSpec(MACHINES, MACHINES_SIGNATURE).verify(otherKey))
                .hasMessage("the signature of the machines specification does not verify with public key "
                        + otherKey.hex());
    }

    @Test
    void badBase64IsOneClearLine() {
        assertThatThrownBy(() -> new PluginSpec("not base64!", "").items())
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("the plugins specification is not valid base64: ")
                .message().doesNotContain("\n");
        assertThatThrownBy(() -> new MachinesSpec("abc", "").listJson())
                .hasMessageStartingWith("the machines specification is not valid base64: ");
        assertThatThrownBy(() -> PluginSpec.ofListJson("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).items())
                .hasMessage("the list is a JSON object, not a list");
        assertThatThrownBy(() -> PluginSpec.ofListJson("[{\"name\":1}]".getBytes(StandardCharsets.UTF_8)).items())
                .hasMessage("item 1 of the list: name is a JSON number, not a string");
        assertThatThrownBy(() -> PluginSpec.fromData(List.of()))
                .hasMessage("the specification is a list, not an object with plugins and signature");
    }

    @Test
    void badHexAndWrongLengthsAreOneClearLine() {
        assertThatThrownBy(() -> VerifyKey.fromHex("xyz0"))
                .hasMessage("the public key is not hex: invalid character 'x' at 0");
        assertThatThrownBy(() -> VerifyKey.fromHex("abc"))
                .hasMessage("the public key is not hex: odd length 3");
        assertThatThrownBy(() -> VerifyKey.fromHex(PUBLIC + "00"))
                .hasMessage("the public key must be 32 bytes (64 hex digits), not 33");
        assertThatThrownBy(() -> SigningKey.fromSeedHex(SEED.substring(2)))
                .hasMessage("the seed must be 32 bytes (64 hex digits), not 31");
        assertThatThrownBy(() -> SigningKey.fromPrivateKeyHex(SEED))
                .hasMessage("the private key must be 64 bytes (128 hex digits), not 32");
        assertThatThrownBy(() -> SigningKey.fromPrivateKeyHex(SEED + SEED))
                .hasMessage("the private key's public half is not its seed's public key");
        assertThatThrownBy(() -> new PluginSpec(PLUGINS, "zz" + SIGNATURE.substring(2)).verify(VerifyKey.fromHex(PUBLIC)))
                .hasMessage("the signature of the plugins specification is not hex: invalid character 'z' at 0");
    }

    @Test
    void keyPairsRoundTripThroughChoriasSeedFile(@TempDir Path dir) throws Exception {
        SigningKey key = SigningKey.generate();
        Path file = dir.resolve("key.seed");
        key.writeSeedFile(file);
        assertThat(Files.readString(file)).isEqualTo(key.seedHex()).hasSize(64);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SigningKey read = SigningKey.readSeedFile(file);
        assertThat(read.publicKey()).isEqualTo(key.publicKey());
        assertThat(key.toString()).doesNotContain(key.seedHex());
        PluginSpec spec = PluginSpec.of(items()).signedWith(read);
        spec.verify(VerifyKey.fromHex(key.publicKey().hex()));
        assertThat(SigningKey.generate().publicKey()).isNotEqualTo(key.publicKey());

        Files.writeString(dir.resolve("key.pub"), key.publicKey().hex() + "\n");
        assertThat(VerifyKey.readFile(dir.resolve("key.pub"))).isEqualTo(key.publicKey());
        Files.writeString(dir.resolve("bad.pub"), "abcd");
        assertThatThrownBy(() -> VerifyKey.readFile(dir.resolve("bad.pub")))
                .hasMessage(dir.resolve("bad.pub") + ": the public key must be 32 bytes (64 hex digits), not 2");

        Files.writeString(dir.resolve("bad.seed"), "nope\n");
        assertThatThrownBy(() -> SigningKey.readSeedFile(dir.resolve("bad.seed")))
                .hasMessage(dir.resolve("bad.seed") + ": the seed is not hex: invalid character 'n' at 0");
        assertThatThrownBy(() -> key.writeSeedFile(file)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }
}
