package io.leadflow.intake.email;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * SendGrid's {@code html} field as text. Hostile HTML up to the 10 MB email limit always gives text:
 * stripping tags with regular expressions took 7 s for 100 KB of it; the 5 s guard only catches such blow-ups.
 */
class HtmlTextTests {

    static final Duration GUARD = Duration.ofSeconds(5);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            '<p>Hi team,</p><p>We need <b>SSO</b> &amp; an MSA.</p>'                 | 'Hi team,\\nWe need SSO & an MSA.'
            'Line one<br>Line two<br/><br />Line four'                             | 'Line one\\nLine two\\n\\nLine four'
            '<div>a</div><div><div>b</div></div>'                                  | 'a\\nb'
            '<style>p { color: red }</style><script>alert(1)</script>Hello'        | 'Hello'
            '<html><head><title>Ignored</title></head><body>Body</body></html>'    | 'Body'
            'a&nbsp;&nbsp;b &lt;c&gt; &#8364;5 &eacute;'                           | 'a b <c> €5 é'
            '<ul><li>SSO</li><li>50m events</li></ul>'                             | 'SSO\\n50m events'
            '<table><tr><td>MAU</td><td>20k</td></tr></table>'                     | 'MAU\\n20k'
            '  lots   of\t\n  space  '                                              | 'lots of space'
            'x<span>y</span>z'                                                     | 'xyz'
            """)
    void readsHtmlAsABrowserShowsItWithLineBreaksForBlocks(String html, String text) {
        assertThat(HtmlText.toText(html)).isEqualTo(text.replace("\\n", "\n"));
    }

    @Test
    void keepsNullAsNull() {
        assertThat(HtmlText.toText(null)).isNull();
    }

    static Stream<Arguments> hostileHtml() {
        return Stream.of(
                arguments("'<' x 100,000", "<".repeat(100_000), "<".repeat(100_000)),
                arguments("'<script>' x 12,500 (100 KB)", "<script>".repeat(12_500), ""),
                arguments("'<script>' x 1,000,000", "<script>".repeat(1_000_000) + "x", ""),
                arguments("'<div>' x 190,000 unclosed", "<div>".repeat(190_000) + "deep", "deep"),
                arguments("'<b>' x 300,000 unclosed", "<b>".repeat(300_000) + "bold", "bold"),
                arguments("'<a>' x 300,000 unclosed", "<a>".repeat(300_000) + "link", "link"),
                arguments("'<table><td>' x 90,000", "<table><td>".repeat(90_000) + "cell", "cell"),
                arguments("'<p><b>' x 150,000", "<p><b>".repeat(150_000) + "para", "para"),
                arguments("'<!--' x 250,000", "<!--".repeat(250_000) + "hidden", ""),
                arguments("'&' x 1,000,000", "&".repeat(1_000_000), "&".repeat(HtmlText.MAX_HTML_CHARS)),
                arguments("'-' x 100,000", "-".repeat(100_000), "-".repeat(100_000)),
                arguments("10 MB: read as far as the limit", "<p>We need SSO</p>" + " ".repeat(10_000_000) + "<p>and HIPAA</p>", "We need SSO"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileHtml")
    void readsTextFromHostileHtml(String name, String html, String text) {
        String read = assertTimeoutPreemptively(GUARD, () -> HtmlText.toText(html));

        assertThat(read).isEqualTo(text);
    }
}
