package dev.tend.dist;

import dev.tend.cli.CommandTree;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tend's man pages, one per command and subcommand ({@code tend.1.gz}, {@code tend-kv.1.gz},
 * {@code tend-kv-put.1.gz}, ...), from the picocli model {@code tend} runs: picocli's {@code ManPageGenerator} writes
 * each as AsciiDoc, {@link ManPageTroff} turns it into troff, and it is gzipped at the best compression with no name
 * and no time in the header, so the same build writes the same bytes. The build runs it in {@code package}:
 * {@code java -cp ... dev.tend.dist.ManPages OUTPUT_DIR VERSION}. The directory is emptied of earlier pages first.
 */
public final class ManPages {

    private ManPages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ManPages OUTPUT_DIR VERSION");
            System.exit(2);
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        int pages = write(out, args[1]);
        System.out.println("ManPages: " + pages + " man pages in " + out);
    }

    /** Writes the pages into {@code out}, removing the {@code .1.gz} files already there; returns how many. */
    public static int write(Path out, String version) throws IOException {
        Path adoc = Files.createTempDirectory("tend-man-adoc");
        try {
            int status = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true,
                    CommandTree.build().getCommandSpec());
            if (status != 0) {
                throw new IOException("picocli's ManPageGenerator failed with status " + status);
            }
            for (Path old : list(out)) {
                if (old.getFileName().toString().endsWith(".1.gz")) {
                    Files.delete(old);
                }
            }
            int pages = 0;
            for (Path page : list(adoc)) {
                String name = page.getFileName().toString();
                if (!name.endsWith(".adoc")) {
                    continue;
                }
                String troff = ManPageTroff.convert(Files.readString(page, StandardCharsets.UTF_8), version);
                Path target = out.resolve(name.substring(0, name.length() - ".adoc".length()) + ".1.gz");
                try (OutputStream gz = new BestGzip(Files.newOutputStream(target))) {
                    gz.write(troff.getBytes(StandardCharsets.UTF_8));
                }
                pages++;
            }
            return pages;
        } finally {
            try (Stream<Path> walk = Files.walk(adoc)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** gzip at level 9; Java's header has no file name and a zero time. */
    private static final class BestGzip extends GZIPOutputStream {
        BestGzip(OutputStream out) throws IOException {
            super(out);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
