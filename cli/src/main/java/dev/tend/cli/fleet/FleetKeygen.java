package dev.tend.cli.fleet;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.fleet.spec.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

/**
 * {@code tend fleet keygen DIR}: a new ed25519 key pair for signing specifications, as Choria's tooling keeps one:
 * {@value #SEED} (the private key's seed in hex, created with mode 0600; never printed) and {@value #PUBLIC} (the public
 * key in hex, what the agents verify with). Refuses to replace either file.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Makes an ed25519 key pair for signing specifications: DIR/" + FleetKeygen.SEED + " (the "
                + "private key, mode 0600; keep it secret) and DIR/" + FleetKeygen.PUBLIC + " (the public key the "
                + "agents verify with). Prints the public key. Never replaces an existing key."})
final class FleetKeygen implements Callable<Integer> {

    static final String SEED = "fleet.seed";
    static final String PUBLIC = "fleet.pub";

    @ParentCommand
    FleetCommand parent;

    @Parameters(paramLabel = "DIR", description = "Where to write the key files (created, mode 0700, if missing).")
    Path dir;

    @Override
    public Integer call() {
        Path seed = dir.resolve(SEED);
        Path pub = dir.resolve(PUBLIC);
        for (Path p : new Path[] {seed, pub}) {
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new CommandException(ExitCodes.USAGE, p + " already exists: a key is never replaced; remove "
                        + "it first or choose another directory");
            }
        }
        SigningKey key = SigningKey.generate();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            key.writeSeedFile(seed);
            Files.writeString(pub, key.publicKey().hex() + "\n", StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new CommandException(ExitCodes.USAGE, e.getFile() + " already exists: a key is never replaced", e);
        } catch (IOException e) {
            throw new CommandException(ExitCodes.FAILURE, "cannot write the key pair in " + dir + ": " + e.getMessage(), e);
        }
        PrintWriter out = parent.context().out();
        out.println(key.publicKey().hex());
        out.flush();
        PrintWriter err = parent.context().err();
        err.println("Wrote the private key to " + seed + " (mode 0600: keep it secret, it signs what the nodes run) "
                + "and the public key to " + pub + " (the agents' --machines-signing-key)");
        err.flush();
        return 0;
    }
}
