package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import org.junit.jupiter.api.Test;

class MagnetLinksCaseTest {
    private static final String HASH = "ab".repeat(20);

    @Test
    void schemeAndParameterNamesAreReadInAnyCase() throws Exception {
        MagnetLink m = MagnetLinks.parse("MAGNET:?XT=URN:BTIH:" + HASH + "&DN=x&TR=udp://t:1");
        assertEquals(HASH, m.infoHash().hex());
        assertEquals("x", m.displayName().orElseThrow());
        assertEquals(1, m.trackers().size());
    }

    @Test
    void aBadInfoHashIsEchoedEscaped() {
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class,
                () -> MagnetLinks.parse("magnet:?xt=urn:btih:%1B%5B2J%E2%80%AE" + "0".repeat(35)));
        assertEquals(-1, e.getMessage().indexOf('\u001b'), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\u202e'), e.getMessage());
        assertTrue(e.getMessage().contains("\\u001b[2J\\u202e"), e.getMessage());
    }
}
