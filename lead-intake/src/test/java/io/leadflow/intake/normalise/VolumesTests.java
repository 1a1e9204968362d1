package io.leadflow.intake.normalise;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class VolumesTests {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            50m                  | 50000000
            50M                  | 50000000
            50 million           | 50000000
            2.5M events          | 2500000
            "2,000,000"          | 2000000
            1.5 million          | 1500000
            500k                 | 500000
            10 thousand          | 10000
            1bn                  | 1000000000
            2 billion            | 2000000000
            2 000 000            | 2000000
            1.000.000            | 1000000
            "1,5 million"        | 1500000
            "1.234.567,8"        | 1234567
            ~20mm                | 20000000
            about 300k per month | 300000
            10-50m               | 50000000
            10m to 50m           | 50000000
            between 10 and 50 million | 50000000
            12345                | 12345
            """)
    void readsVolumesAsPeopleTypeThem(String text, long expected) {
        assertThat(Volumes.parse(text)).hasValue(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is no volume")
    @ValueSource(strings = {"", "  ", "lots", "not sure", "-5m", "99999999999999999999 billion"})
    void findsNoVolumeWhereThereIsNone(String text) {
        assertThat(Volumes.parse(text)).isEmpty();
    }
}
