package dev.tend.cli.fleet;

import dev.tend.fleet.spec.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class FleetKeygenTest {

    @TempDir
    Path dir;

    @Test
    void writesASeedFileOfMode0600AndThePublicKeyWhichItPrints() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path keys = dir.resolve("keys");
        FleetCli.Result r = cli.fleet("keygen", keys.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        Path seed = keys.resolve("fleet.seed");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seed))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        SigningKey key = SigningKey.readSeedFile(seed);
        String pub = key.publicKey().hex();
        assertThat(r.out()).isEqualTo(pub + "\n");
        assertThat(Files.readString(keys.resolve("fleet.pub"))).isEqualTo(pub + "\n");
        assertThat(r.out() + r.err()).doesNotContain(key.seedHex());
        assertThat(Files.readString(seed)).isEqualTo(key.seedHex()); // as Choria writes it: hex, no newline
    }

    @Test
    void neverReplacesAKey() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path keys = dir.resolve("keys");
        assertThat(cli.fleet("keygen", keys.toString()).code()).isZero();
        byte[] seed = Files.readAllBytes(keys.resolve("fleet.seed"));
        FleetCli.Result r = cli.fleet("keygen", keys.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("tend: " + keys.resolve("fleet.seed") + " already exists: a key is "
                + "never replaced; remove it first or choose another directory");
        assertThat(Files.readAllBytes(keys.resolve("fleet.seed"))).isEqualTo(seed);

        Files.delete(keys.resolve("fleet.seed")); // the public key alone is not replaced either
        r = cli.fleet("keygen", keys.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(keys.resolve("fleet.seed")).doesNotExist();
    }
}
