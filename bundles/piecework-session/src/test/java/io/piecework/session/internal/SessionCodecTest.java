package io.piecework.session.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.SeedLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is read back is untrusted: every rule and limit broken gives a clear error, never a partial list. */
class SessionCodecTest {
    private static final String HASH = "ab".repeat(20);

    private static String torrent(String fields) {
        return "d" + fields + "e";
    }

    private static String session(String... torrents) {
        return "d8:torrentsl" + String.join("", torrents) + "e7:versioni1ee";
    }

    private static String ok(String dir) {
        return torrent("3:dir" + dir.getBytes(StandardCharsets.UTF_8).length + ":" + dir + "4:hash40:" + HASH
                + "7:startedi1e");
    }

    private static String refused(String text) {
        return refused(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String refused(byte[] bytes) {
        return assertThrows(InvalidSessionException.class, () -> SessionCodec.decode(bytes)).getMessage();
    }

    @Test
    void roundTripsTorrentsAndMagnets() throws Exception {
        List<SessionEntry> entries = List.of(SessionStoreTest.entry(1, true),
                new SessionEntry(SessionStoreTest.entry(2, false).infoHash(), Path.of("/d/ü x"), false,
                        "magnet:?xt=urn:btih:" + "02".repeat(20)));
        assertEquals(entries, SessionCodec.decode(SessionCodec.encode(entries)));
        assertEquals(1, SessionCodec.decode(session(ok("/data/x")).getBytes(StandardCharsets.UTF_8)).size());
    }

    @Test
    void refusesACountBeyondTheLimitWithoutBuildingIt() {
        String many = ok("/a").repeat(SessionCodec.MAX_TORRENTS + 1);
        String message = refused(session(many));
        assertTrue(message.contains("limit") || message.contains("values"), message);
    }

    @Test
    void refusesAStringThatClaimsMoreThanTheLimit() {
        assertTrue(refused("d8:torrentsl" + "d3:dir99999999999:").startsWith("not a session file"));
    }

    @Test
    void refusesRelativeUnnormalisedAndNonUtf8Paths() {
        assertTrue(refused(session(ok("data/x"))).contains("not an absolute, normalised path"));
        assertTrue(refused(session(ok("/data/../etc"))).contains("not an absolute, normalised path"));
        String nul = refused(session(ok("/data/\0x")));
        assertTrue(nul.contains("is not a path"), nul);
        // "/d/é" in Latin-1: four bytes, the last not UTF-8.
        byte[] latin1 = session(torrent("3:dir4:/d/\u00e94:hash40:" + HASH + "7:startedi1e"))
                .getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(refused(latin1).contains("not UTF-8"));
    }

    @Test
    void refusesBadHashesStartedValuesDuplicatesAndVersions() {
        assertTrue(refused(session(ok("/a").replace(HASH, "zz".repeat(20)))).contains("not 40 lower-case hex"));
        assertTrue(refused(session(ok("/a").replace("7:startedi1e", "7:startedi2e"))).contains("started must be 0 or 1"));
        assertTrue(refused(session(ok("/a"), ok("/b"))).contains("listed twice"));
        assertTrue(refused(session(ok("/a")).replace("versioni1e", "versioni2e")).contains("version 2"));
        assertTrue(refused("li1ee").contains("not a dictionary"));
        assertTrue(refused(session("i5e")).contains("torrent 0 is not a dictionary"));
        String http = torrent("3:dir2:/a4:hash40:" + HASH + "6:magnet4:http7:startedi1e");
        assertTrue(refused(session(http)).contains("not a magnet link"));
    }

    @Test
    void keepsATorrentsRateLimitsAndRefusesImpossibleOnes() throws Exception {
        List<SessionEntry> limited = List.of(new SessionEntry(SessionStoreTest.entry(1, true).infoHash(), Path.of("/d"),
                true, "", SeedLimits.GLOBAL, false, new io.piecework.api.engine.RateLimits(10 << 20, 0)));
        byte[] bytes = SessionCodec.encode(limited);
        assertEquals(limited, SessionCodec.decode(bytes));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("4:downi10485760e"), "only the limit that is set");
        assertTrue(!new String(bytes, StandardCharsets.UTF_8).contains("2:up"), "only the limit that is set");
        String up = ok("/a").replace("7:startedi1e", "7:startedi1e2:upi0e"); // keys in bencode's order
        assertTrue(refused(session(up)).contains("up must be a rate"));
        assertTrue(refused(session(up.replace("2:upi0e", "2:upi2000000000000e"))).contains("up must be a rate"));
        String down = ok("/a").replace("4:hash", "4:downi-5e4:hash");
        assertTrue(refused(session(down)).contains("down must be a rate"));
        assertTrue(refused(session(down.replace("4:downi-5e", "4:down3:abc"))).contains("down must be a rate"));
    }

    @Test
    void refusesDeepNesting() {
        assertTrue(refused("d8:torrentsl" + "l".repeat(100) + "e".repeat(100) + "ee").startsWith("not a session file"));
    }

    @Test
    void roundTripsATorrentsOwnSeedingLimits() throws Exception {
        SessionEntry e = SessionStoreTest.entry(1, true);
        SessionEntry limited = new SessionEntry(e.infoHash(), e.downloadDir(), true, "",
                new SeedLimits(SeedLimits.Mode.SINGLE, 1.25, SeedLimits.Mode.UNLIMITED, 45), true,
                io.piecework.api.engine.RateLimits.UNLIMITED);
        assertEquals(List.of(limited), SessionCodec.decode(SessionCodec.encode(List.of(limited))));
    }

    @Test
    void refusesSeedingLimitsOutOfRange() {
        assertTrue(refused(session(limited(5, 0, 1000, 3))).contains("ratio.mode must be 0 to 2"));
        assertTrue(refused(session(limited(-5, 0, 1000, 1))).contains("idle.minutes must be"));
        assertEquals(1, assertDoesNotThrow(() -> SessionCodec.decode(
                session(limited(5, 0, 1000, 1)).getBytes(StandardCharsets.UTF_8))).size());
    }

    private static String limited(int idleMinutes, int idleMode, int ratioMilli, int ratioMode) {
        return torrent("3:dir7:/data/x4:hash40:" + HASH + "12:idle.minutesi" + idleMinutes + "e9:idle.modei" + idleMode
                + "e11:ratio.millii" + ratioMilli + "e10:ratio.modei" + ratioMode + "e7:startedi1e");
    }
}
