package dev.tend.dist;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManPageTroffTest {

    private static final String PAGE = """
            // tag::picocli-generated-full-manpage[]
            :doctype: manpage
            :manmanual: Tend Manual
            :man-linkstyle: pass:[blue R < >]
            = tend-kv-put(1)

            == Name

            tend-kv-put - Stores a value; - reads it from stdin.

            == Synopsis

            *tend kv put* [*-hV*] [*--store*=_URL_]
                        [*--tls-ca*=_FILE_] _BUCKET_ _KEY_ _VALUE_

            == Options

            *--store*=_URL_::
              The store: file:///path. Default: TEND_STORE, the config file's store_mode: or events_prefix:.

            _BUCKET_::
             \s

            xref:tend-kv.adoc[*kv*]::
              The kv commands.

            ==  Exit status:

            *0*::
              success

            ==  Logging (any command):

            [%hardbreaks]
              --log-level=LEVEL    error or warn
              --log-format=FORMAT  text

            .starts with a dot \\ and a backslash
            // end::picocli-generated-full-manpage[]
            """;

    @Test
    void rendersTheGeneratorsConstructsAsTroff() {
        String troff = ManPageTroff.convert(PAGE, "1.2.3");
        assertThat(troff).startsWith(".TH \"TEND\\-KV\\-PUT\" 1 \"\" \"Tend 1.2.3\" \"Tend Manual\"\n")
                .contains(".SH \"NAME\"\ntend\\-kv\\-put \\- Stores a value; \\- reads it from stdin.\n")
                .contains(".SH \"SYNOPSIS\"\n\\fBtend kv put\\fR [\\fB\\-hV\\fR] [\\fB\\-\\-store\\fR=\\fIURL\\fP]\n"
                        + "[\\fB\\-\\-tls\\-ca\\fR=\\fIFILE\\fP] \\fIBUCKET\\fP \\fIKEY\\fP \\fIVALUE\\fP\n")
                .contains(".TP\n\\fB\\-\\-store\\fR=\\fIURL\\fP\nThe store: file:///path. Default: TEND_STORE, the "
                        + "config file's store_mode: or events_prefix:.\n")
                .contains(".TP\n\\fIBUCKET\\fP\n.TP\n")
                .contains(".TP\n\\fBkv\\fR\nThe kv commands.\n")
                .contains(".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\nsuccess\n")
                .contains(".SH \"LOGGING (ANY COMMAND)\"\n.PP\n.RS 4\n.nf\n"
                        + "\\-\\-log\\-level=LEVEL    error or warn\n\\-\\-log\\-format=FORMAT  text\n.fi\n.RE\n")
                .contains("\n.PP\n\\&.starts with a dot \\e and a backslash\n")
                .doesNotContain("// tag", "// end", "xref", "::", "%hardbreaks", ":doctype", "pass:[");
    }

    @Test
    void aPlusEndsALine() {
        assertThat(ManPageTroff.convert("= t(1)\n\n== Description\n\nfirst +\nsecond\n", "1"))
                .endsWith(".SH \"DESCRIPTION\"\nfirst\n.br\nsecond\n");
    }

    @Test
    void markupNeedsWordBoundaries() {
        assertThat(ManPageTroff.inline("TEND_NATS_USER and kv.* and *x*")).isEqualTo(
                "TEND_NATS_USER and kv.* and \\fBx\\fR");
    }
}
