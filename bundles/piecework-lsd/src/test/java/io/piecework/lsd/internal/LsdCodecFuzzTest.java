package io.piecework.lsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the LSD announce parser, which reads every multicast datagram on
 * the local network (docs/fuzzing.md). Without JAZZER_FUZZ this replays
 * LsdCodecFuzzTestInputs/ as ordinary tests.
 *
 * <p>Contract: an announce or a {@link LsdCodec.FormatException}, nothing else; the port is in
 * range, the cookie bounded; re-encoding the announce parses to the same port and info-hashes.
 */
class LsdCodecFuzzTest {
    @DictionaryEntries({"BT-SEARCH * HTTP/1.1", "Host: ", "Port: ", "Infohash: ", "cookie: ", "\\x0d\\x0a", "\\x0a",
            "0123456789abcdef0123456789abcdef01234567"})
    @FuzzTest(maxDuration = "10m")
    void parse(byte[] datagram) throws LsdCodec.FormatException {
        LsdCodec.Announce a;
        try {
            a = LsdCodec.parse(datagram, datagram.length);
        } catch (LsdCodec.FormatException e) {
            return;
        }
        assertTrue(datagram.length <= LsdCodec.MAX_PACKET);
        assertTrue(a.port() >= 1 && a.port() <= 65_535);
        assertTrue(a.cookie().length() <= LsdCodec.MAX_COOKIE);
        assertTrue(!a.infoHashes().isEmpty());
        int parsed = 0;
        for (byte[] d : LsdCodec.encode("239.192.152.143:6771", a.port(), a.infoHashes(), "fuzz")) {
            LsdCodec.Announce again = LsdCodec.parse(d, d.length);
            assertEquals(a.port(), again.port());
            assertEquals(a.infoHashes().subList(parsed, parsed + again.infoHashes().size()), again.infoHashes());
            parsed += again.infoHashes().size();
        }
        assertEquals(a.infoHashes().size(), parsed);
    }
}
