package io.piecework.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionMessagesTest {
    @Test
    void metadataDataCarriesRawBytesAfterTheDictionary() throws Exception {
        byte[] wire = "d8:msg_typei1e5:piecei0e10:total_sizei3eexyz".getBytes(StandardCharsets.US_ASCII);
        MetadataMessage m = MetadataMessage.decode(ByteBuffer.wrap(wire));
        assertEquals(MetadataMessage.DATA, m.type());
        assertEquals(3, m.totalSize());
        assertEquals(ByteBuffer.wrap("xyz".getBytes(StandardCharsets.US_ASCII)), m.data());
        assertEquals(new String(wire, StandardCharsets.US_ASCII),
                new String(m.encode(), StandardCharsets.US_ASCII));
    }

    @Test
    void metadataRejectRoundTrips() throws Exception {
        assertEquals(MetadataMessage.reject(5), MetadataMessage.decode(ByteBuffer.wrap(MetadataMessage.reject(5).encode())));
    }

    @Test
    void metadataPieceOverSixteenKiBIsRejected() {
        byte[] head = "d8:msg_typei1e5:piecei0e10:total_sizei99999ee".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(head.length + 16385).put(head);
        WireException e = assertThrows(WireException.class, () -> MetadataMessage.decode(b.clear()));
        assertTrue(e.getMessage().contains("16385"));
    }

    @Test
    void metadataPieceCountRoundsUp() {
        assertEquals(1, MetadataMessage.pieceCount(16384));
        assertEquals(2, MetadataMessage.pieceCount(16385));
    }

    @Test
    void pexRoundTripsIpv4AndIpv6() throws Exception {
        PexMessage p = new PexMessage(
                List.of(new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 1), new InetSocketAddress(InetAddress.getByName("5.6.7.8"), 65535)),
                new byte[] {PexMessage.FLAG_SEED, PexMessage.FLAG_CONNECTABLE},
                List.of(new InetSocketAddress(InetAddress.getByName("9.9.9.9"), 80)),
                List.of(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 6881)), new byte[] {0},
                List.of(new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 6882)));
        assertEquals(p, PexMessage.decode(ByteBuffer.wrap(p.encode())));
    }

    /** Found by WireFuzzTest: encode() threw IllegalArgumentException on a message decode() had returned. */
    @Test
    void pexWithAnIpv4MappedPeerInTheIpv6ListReEncodes() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1, 0x1a, (byte) 0xe1};
        ByteBuffer wire = ByteBuffer.allocate(64).put("d6:added618:".getBytes(StandardCharsets.US_ASCII)).put(mapped)
                .put("8:added6.f1:\u0010e".getBytes(StandardCharsets.US_ASCII)).flip();
        PexMessage p = PexMessage.decode(wire);
        // InetAddress turns ::ffff:10.0.0.1 into the IPv4 peer it denotes, as the tracker codecs do.
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 6881)), p.added6());
        assertEquals(p, PexMessage.decode(ByteBuffer.wrap(p.encode())));
    }

    @Test
    void pexWithTruncatedCompactPeersIsRejected() {
        byte[] wire = "d5:added5:abcdee".getBytes(StandardCharsets.US_ASCII);
        WireException e = assertThrows(WireException.class, () -> PexMessage.decode(ByteBuffer.wrap(wire)));
        assertTrue(e.getMessage().contains("not a multiple of 6"), e.getMessage());
    }
}
