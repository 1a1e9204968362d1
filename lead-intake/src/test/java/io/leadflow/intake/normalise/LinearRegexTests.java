package io.leadflow.intake.normalise;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LinearRegexTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            a\\s+b        | a[\\t\\n\\x0B\\f\\r ]+b
            [\\s-]        | [\\t\\n\\x0B\\f\\r -]
            [^\\s,]       | [^\\t\\n\\x0B\\f\\r ,]
            \\S           | [^\\t\\n\\x0B\\f\\r ]
            \\\\s         | \\\\s
            \\[\\s\\]     | \\[[\\t\\n\\x0B\\f\\r ]\\]
            \\d\\b\\w     | \\d\\b\\w
            """)
    void compilesJavaWhitespaceWhereRe2WouldLeaveOutTheVerticalTab(String java, String re2) {
        assertThat(LinearRegex.javaWhitespace(java)).isEqualTo(re2);
    }

    @ParameterizedTest(name = "\\s matches U+{0}")
    @CsvSource({"0009", "000A", "000B", "000C", "000D", "0020"})
    void matchesEveryCharacterJavaCallsWhitespace(String hex) {
        String c = Character.toString(Integer.parseInt(hex, 16));

        assertThat(LinearRegex.compile("a\\sb").matcher("a" + c + "b").matches()).isTrue();
        assertThat(LinearRegex.compile("a[\\s]b").matcher("a" + c + "b").matches()).isTrue();
        assertThat(LinearRegex.compile("a\\Sb").matcher("a" + c + "b").matches()).isFalse();
        assertThat(java.util.regex.Pattern.compile("a\\sb").matcher("a" + c + "b").matches()).isTrue();
    }
}
