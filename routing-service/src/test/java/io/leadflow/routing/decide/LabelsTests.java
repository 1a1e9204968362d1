package io.leadflow.routing.decide;

import org.junit.jupiter.api.Test;

import java.text.NumberFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class LabelsTests {

    @Test
    void numbersReadAsNumberFormatWritesThemInTheUs() {
        NumberFormat us = NumberFormat.getIntegerInstance(Locale.US);
        SplittableRandom random = new SplittableRandom(7);
        LongStream edges = LongStream.of(0, 1, -1, 999, 1_000, -1_000, 999_999, 1_000_000, 12_345_678, -12_345_678,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1);
        LongStream randoms = random.longs(5_000).map(v -> v >> random.nextInt(64));

        LongStream.concat(edges, randoms).forEach(value ->
                assertThat(Labels.number(value)).as("%d", value).isEqualTo(us.format(value)));
        assertThat(Labels.number(null)).isEqualTo("unknown");
    }
}
