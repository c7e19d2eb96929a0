package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Extensions;
import io.piecework.wire.PexMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a torrent tells its ut_pex peers about the others: a peer we reached over uTP goes with flag 0x04. */
class PeerExchangeTest {
    @TempDir
    Path dir;

    private static ExtendedHandshake listensOn(int port) {
        return new ExtendedHandshake(Map.of(Extensions.UT_PEX, 1), "test", port, 0, -1, null, null, null);
    }

    @Test
    void aPeerReachedOverUtpIsToldWithTheUtpFlagOnTheWire() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 1)) {
            FakeConnection overUtp = new FakeConnection();
            overUtp.utp = true;
            overUtp.extendedHandshake = listensOn(7001);
            FakeConnection overTcp = new FakeConnection();
            overTcp.extendedHandshake = listensOn(7002);
            FakeConnection listener = new FakeConnection();
            listener.extendedHandshake = listensOn(7003);
            h.torrent.connected(overUtp);
            h.torrent.connected(overTcp);
            h.torrent.connected(listener);

            h.torrent.pex.send();
            assertTrue(LoopbackEngines.within(10_000, () -> !listener.pexSent().isEmpty()), listener.sent().toString());
            PexMessage m = listener.pexSent().get(0);
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7001), new InetSocketAddress("127.0.0.1", 7002)),
                    m.added());
            byte[] wire = m.encode();
            String text = new String(wire, StandardCharsets.ISO_8859_1);
            int flags = text.indexOf("7:added.f2:") + "7:added.f2:".length();
            assertTrue(flags > "7:added.f2:".length() - 1, text);
            // connectable|utp for the uTP peer, connectable alone for the TCP one
            assertArrayEquals(new byte[] {0x14, 0x10}, java.util.Arrays.copyOfRange(wire, flags, flags + 2));
        }
    }
}
