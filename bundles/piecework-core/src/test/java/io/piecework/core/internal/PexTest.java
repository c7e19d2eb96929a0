package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.piecework.wire.PexMessage;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PexTest {
    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Test
    void firstMessageListsEveryPeerButTheReceiverWithSeedAndConnectableFlags() throws Exception {
        Map<InetSocketAddress, Integer> now = new LinkedHashMap<>();
        now.put(at("10.0.0.1", 6881), Pex.flags(true, false));
        now.put(at("10.0.0.2", 6882), Pex.flags(false, false));
        now.put(at("::1", 6883), Pex.flags(false, false));
        Set<InetSocketAddress> sent = new HashSet<>();
        PexMessage m = Pex.next(sent, now, at("10.0.0.2", 6882));
        assertEquals(List.of(at("10.0.0.1", 6881)), m.added());
        assertArrayEquals(new byte[] {PexMessage.FLAG_CONNECTABLE | PexMessage.FLAG_SEED}, m.addedFlags());
        assertEquals(List.of(at("::1", 6883)), m.added6());
        assertArrayEquals(new byte[] {PexMessage.FLAG_CONNECTABLE}, m.added6Flags());
        // It survives the wire.
        assertEquals(m, PexMessage.decode(java.nio.ByteBuffer.wrap(m.encode())));
    }

    @Test
    void aPeerThatSpeaksUtpIsSentWithFlag0x04OnTheWire() {
        Map<InetSocketAddress, Integer> now = new LinkedHashMap<>();
        now.put(at("10.0.0.1", 6881), Pex.flags(false, true));
        now.put(at("10.0.0.3", 6883), Pex.flags(true, true));
        now.put(at("10.0.0.4", 6884), Pex.flags(false, false));
        byte[] wire = Pex.next(new HashSet<>(), now, null).encode();
        // bencoded: "added.f" then the three flag bytes: connectable|utp, connectable|seed|utp, connectable
        String text = new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("7:added.f3:");
        assertEquals(true, at >= 0, text);
        int flags = at + "7:added.f3:".length();
        assertArrayEquals(new byte[] {0x14, 0x16, 0x10}, java.util.Arrays.copyOfRange(wire, flags, flags + 3));
    }

    @Test
    void laterMessagesCarryOnlyWhatChangedAndNothingWhenNothingDid() {
        Set<InetSocketAddress> sent = new HashSet<>();
        Map<InetSocketAddress, Integer> now = new LinkedHashMap<>();
        now.put(at("10.0.0.1", 1), Pex.flags(false, false));
        now.put(at("10.0.0.2", 2), Pex.flags(false, false));
        Pex.next(sent, now, null);
        assertNull(Pex.next(sent, now, null));
        now.remove(at("10.0.0.1", 1));
        now.put(at("10.0.0.3", 3), Pex.flags(false, false));
        PexMessage m = Pex.next(sent, now, null);
        assertEquals(List.of(at("10.0.0.3", 3)), m.added());
        assertEquals(List.of(at("10.0.0.1", 1)), m.dropped());
        assertEquals(Set.of(at("10.0.0.2", 2), at("10.0.0.3", 3)), sent);
    }

    @Test
    void atMostFiftyAddedPerMessageTheRestNextTime() {
        Set<InetSocketAddress> sent = new HashSet<>();
        Map<InetSocketAddress, Integer> now = new LinkedHashMap<>();
        for (int i = 1; i <= 70; i++) {
            now.put(at("10.0.1." + i, 1000 + i), Pex.flags(false, false));
        }
        assertEquals(Pex.MAX_PER_MESSAGE, Pex.next(sent, now, null).added().size());
        assertEquals(20, Pex.next(sent, now, null).added().size());
    }

    @Test
    void receivedPeersWithoutAPortAreNotDialled() {
        PexMessage m = new PexMessage(List.of(at("10.0.0.1", 0), at("10.0.0.2", 7)), new byte[2], List.of(),
                List.of(), new byte[0], List.of());
        assertEquals(List.of(at("10.0.0.2", 7)), Pex.connectable(m));
    }

    @Test
    void aPeerIsHeardOncePerThreeQuartersOfTheInterval() {
        Pex.Gate gate = new Pex.Gate();
        long second = 1_000_000_000L;
        long t = 123 * second;
        assertEquals(true, gate.admit(t, 60), "the first message");
        assertEquals(false, gate.admit(t + 1, 60), "a second one at once");
        assertEquals(false, gate.admit(t + 44 * second, 60));
        assertEquals(true, gate.admit(t + 45 * second, 60));
        assertEquals(false, gate.admit(t + 46 * second, 60));
    }
}
