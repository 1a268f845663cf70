package dev.tend.cli.kv;

import dev.tend.cli.command.ExitCodes;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.UnsupportedFeatureException;
import dev.tend.kv.embedded.CheckReport;
import dev.tend.kv.embedded.EmbeddedKvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tend kv check BUCKET}: verifies an embedded bucket's files; exit 1 on damage, or on files more open than the
 * store mode.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Verifies an embedded bucket's files (checksums, framing, revision order, index snapshot,"
                + " modes); exits 1 when it finds damage or files more open than the store mode.")
final class KvCheck extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        CheckReport report;
        try (KvStore store = openStore()) {
            if (!(store instanceof EmbeddedKvStore embedded)) {
                throw new UnsupportedFeatureException("check verifies the files of the embedded store; the store "
                        + store.url() + " uses the " + store.backend() + " backend");
            }
            report = embedded.check(bucket);
        }
        for (String p : report.problems()) {
            out().println("problem: " + p);
        }
        for (String n : report.notes()) {
            out().println("note: " + n);
        }
        out().println("Bucket " + report.bucket() + ": " + report.records() + " records, " + report.bytes()
                + " bytes checked, " + (report.ok() ? "no damage found"
                : report.problems().size() + (report.problems().size() == 1 ? " problem" : " problems")));
        out().flush();
        return report.ok() ? ExitCodes.OK : ExitCodes.NOT_FOUND;
    }
}
