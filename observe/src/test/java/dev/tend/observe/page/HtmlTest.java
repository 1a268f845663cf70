package dev.tend.observe.page;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTest {

    @Test
    void escapesMarkupQuotesAndCharactersXmlRefuses() {
        assertThat(Html.text("<a href='x' title=\"y\">&amp;</a>"))
                .isEqualTo("&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;amp;&lt;/a&gt;");
        assertThat(Html.text("a\u0000b\u001bc\nd\uFFFF")).isEqualTo("a\uFFFDb\uFFFDc\nd\uFFFD");
        assertThat(Html.text("caf\u00e9 \u2603 \uD83D\uDE00")).isEqualTo("caf\u00e9 \u2603 \uD83D\uDE00");
    }
}
