package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void showsBytesBelowOneKibibyteExactly() {
        assertEquals("0 B", Sizes.human(0));
        assertEquals("1023 B", Sizes.human(1023));
    }

    @Test
    void showsLargerSizesWithOneDecimalInBinaryUnits() {
        assertEquals("1.0 KiB", Sizes.human(1024));
        assertEquals("1.5 MiB", Sizes.human(3 << 19));
        assertEquals("700.0 MiB", Sizes.human(700L << 20));
        assertEquals("2.0 TiB", Sizes.human(2L << 40));
        assertEquals("8.0 EiB", Sizes.human(Long.MAX_VALUE));
    }

    @Test
    void roundsUpToTheNextUnitInsteadOfPrinting1024() {
        assertEquals("1.0 MiB", Sizes.human((1L << 20) - 1));
    }

    @Test
    void formatsRatesInMebibytesPerSecond() {
        assertEquals("12.5 MiB/s", Sizes.rate(12.5 * 1024 * 1024));
        assertEquals("0.0 MiB/s", Sizes.rate(0));
    }

    @Test
    void formatsDurationsAsClockTime() {
        assertEquals("0:07", Sizes.duration(7));
        assertEquals("12:34", Sizes.duration(12 * 60 + 34));
        assertEquals("1:02:03", Sizes.duration(3723));
    }

    @Test
    void parsesPlainAndSuffixedSizes() {
        assertEquals(262144, Sizes.parse("262144"));
        assertEquals(256 * 1024, Sizes.parse("256k"));
        assertEquals(256 * 1024, Sizes.parse("256KiB"));
        assertEquals(4 << 20, Sizes.parse("4m"));
        assertEquals(4 << 20, Sizes.parse("4MB"));
        assertEquals(1L << 30, Sizes.parse("1G"));
    }

    @Test
    void rejectsTextThatIsNoSize() {
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("lots"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-5"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999999g"));
    }
}
