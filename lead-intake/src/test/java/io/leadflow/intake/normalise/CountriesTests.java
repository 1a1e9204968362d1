package io.leadflow.intake.normalise;

import io.leadflow.avro.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class CountriesTests {

    @ParameterizedTest(name = "\"{0}\" is {1} in {2}")
    @CsvSource(delimiter = '|', textBlock = """
            USA                      | US | US
            U.S.A.                   | US | US
            United States of America | US | US
            us                       | US | US
            United Kingdom           | GB | OTHER
            UK                       | GB | OTHER
            England                  | GB | OTHER
            Deutschland              | DE | EU
            Germany                  | DE | EU
            DEU                      | DE | EU
            The Netherlands          | NL | EU
            Holland                  | NL | EU
            France                   | FR | EU
            España                   | ES | EU
            Norway                   | NO | EU
            Iceland                  | IS | EU
            Liechtenstein            | LI | EU
            Switzerland              | CH | OTHER
            Schweiz                  | CH | OTHER
            India                    | IN | OTHER
            Brazil                   | BR | OTHER
            South Korea              | KR | OTHER
            Czech Republic           | CZ | EU
            Österreich               | AT | EU
            Türkiye                  | TR | OTHER
            Côte d’Ivoire            | CI | OTHER
            """)
    void mapsCountryNamesCodesAndAliasesToIsoCodeAndRegion(String text, String iso, Region region) {
        assertThat(Countries.isoCode(text)).hasValue(iso);
        assertThat(Countries.region(iso)).isEqualTo(region);
    }

    @Test
    void leavesUnknownCountriesWithoutCodeAndInTheUnknownRegion() {
        assertThat(Countries.isoCode("Narnia")).isEmpty();
        assertThat(Countries.isoCode("  ")).isEmpty();
        assertThat(Countries.region(null)).isEqualTo(Region.UNKNOWN);
    }
}
