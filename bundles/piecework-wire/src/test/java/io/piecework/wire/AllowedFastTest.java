package io.piecework.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The vectors are BEP 6's own examples. */
class AllowedFastTest {
    private static final byte[] INFO_HASH = HexFormat.of().parseHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final byte[] IP = {80, 4, 4, (byte) 200};

    @Test
    void sevenPieceSetMatchesBep6() {
        assertArrayEquals(new int[] {1059, 431, 808, 1217, 287, 376, 1188}, AllowedFast.compute(7, 1313, INFO_HASH, IP));
    }

    @Test
    void ninePieceSetMatchesBep6() {
        assertArrayEquals(new int[] {1059, 431, 808, 1217, 287, 376, 1188, 353, 508},
                AllowedFast.compute(9, 1313, INFO_HASH, IP));
    }

    @Test
    void lowOctetOfTheAddressDoesNotMatter() {
        assertArrayEquals(AllowedFast.compute(9, 1313, INFO_HASH, IP),
                AllowedFast.compute(9, 1313, INFO_HASH, new byte[] {80, 4, 4, 1}));
    }

    @Test
    void setIsCappedAtThePieceCount() {
        assertEquals(3, AllowedFast.compute(10, 3, INFO_HASH, IP).length);
    }
}
