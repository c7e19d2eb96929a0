package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UtpCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The SYN libtorrent 2.0.8 sent when told to connect to a UDP port on loopback (captured once). */
    private static final String LIBTORRENT_SYN = "410037a67558554b000000000000000019460000";

    @Test
    void readsTheSynLibtorrentSends() throws Exception {
        Packet syn = UtpCodec.decode(ByteBuffer.wrap(HEX.parseHex(LIBTORRENT_SYN)));
        assertEquals(PacketType.SYN, syn.type());
        assertEquals(0x37a6, syn.connectionId());
        assertEquals(0x7558554b, syn.timestampMicros());
        assertEquals(0, syn.timestampDifferenceMicros());
        assertEquals(0, syn.windowSize());
        assertEquals(0x1946, syn.seqNr());
        assertEquals(0, syn.ackNr());
        assertNull(syn.selectiveAck());
        assertEquals(0, syn.payload().remaining());
        assertEquals(LIBTORRENT_SYN, hex(UtpCodec.encode(syn)));
    }

    @Test
    void writesAStateWithASelectiveAckAsBep29LaysItOut() throws Exception {
        // ack_nr 100; packets 102 and 104 arrived: bits 0 and 2 of the first byte.
        Packet state = new Packet(PacketType.STATE, 0xBEEF, 0x01020304, 0x0A0B0C0D, 0x00100000, 0xFFFF, 100,
                new byte[] {0b101, 0, 0, 0}, null);
        String bytes = "21" + "01" + "beef" + "01020304" + "0a0b0c0d" + "00100000" + "ffff" + "0064"
                + "00" + "04" + "05000000";
        assertEquals(bytes, hex(UtpCodec.encode(state)));

        Packet read = UtpCodec.decode(ByteBuffer.wrap(HEX.parseHex(bytes)));
        assertEquals(PacketType.STATE, read.type());
        assertEquals(0xFFFF, read.seqNr());
        assertTrue(read.selectivelyAcked(102));
        assertFalse(read.selectivelyAcked(103));
        assertTrue(read.selectivelyAcked(104));
        assertFalse(read.selectivelyAcked(101), "ack_nr + 1 is the missing one, never in the mask");
        assertFalse(read.selectivelyAcked(134), "past the mask");
    }

    @Test
    void carriesDataAndSkipsExtensionsItDoesNotKnow() throws Exception {
        String bytes = "01" + "02" + "0010" + "00000001" + "00000002" + "0000ffff" + "0005" + "0004"
                + "00" + "03" + "aabbcc" + "68656c6c6f";
        Packet data = UtpCodec.decode(ByteBuffer.wrap(HEX.parseHex(bytes)));
        assertEquals(PacketType.DATA, data.type());
        assertEquals("hello", StandardCharsets.US_ASCII.decode(data.payload()).toString());
        assertNull(data.selectiveAck());
    }

    @Test
    void readsTheOddSizedSelectiveAcksLibtorrentSends() throws Exception {
        // Captured from libtorrent 2.0.8 on loopback: a 1-byte mask, though BEP 29 asks for steps of 4.
        Packet state = UtpCodec.decode(ByteBuffer.wrap(HEX.parseHex("2101573abfa69616c69517a2000ff53848f2560e000100")));
        assertEquals(PacketType.STATE, state.type());
        assertEquals(1, state.selectiveAck().length);
        assertFalse(state.selectivelyAcked(Seq.plus(state.ackNr(), 2)));
        Packet ten = UtpCodec.decode(ByteBuffer.wrap(HEX.parseHex(
                "2101573abfa6d3d4c6953c57000e7a4e48f2560e000a0000000000000000f0ff")));
        assertEquals(10, ten.selectiveAck().length);
        assertTrue(ten.selectivelyAcked(Seq.plus(ten.ackNr(), 2 + 64 + 4)), "bit 4 of the ninth byte");
        assertFalse(ten.selectivelyAcked(Seq.plus(ten.ackNr(), 2 + 64 + 3)));
    }

    @Test
    void decodingLeavesTheDatagramAsItWas() throws Exception {
        ByteBuffer datagram = ByteBuffer.wrap(HEX.parseHex(LIBTORRENT_SYN));
        UtpCodec.decode(datagram);
        assertEquals(0, datagram.position());
        assertEquals(20, datagram.remaining());
    }

    @Test
    void refusesWhatIsNotAUtpPacket() {
        String header = "0000000000000000000000000000000000000000";
        refused("shorter than a uTP header", header.substring(2));
        refused("version 2", "42" + header.substring(2));
        refused("unknown uTP packet type 5", "51" + header.substring(2));
        refused("without payload", "01" + header.substring(2));
        refused("cut short", "21" + "01" + header.substring(4));
        refused("with 2 left", "21" + "01" + header.substring(4) + "00" + "04" + "0000");
        refused("selective ACK of 0", "21" + "01" + header.substring(4) + "00" + "00");
        refused("two selective ACKs", "21" + "01" + header.substring(4) + "01" + "04" + "00000000" + "00" + "04"
                + "00000000");
        refused("more than 8", "21" + "02" + header.substring(4) + "0200".repeat(9));
    }

    @Test
    void sequenceNumbersOrderAcrossTheWrap() {
        assertEquals(0, Seq.plus(0xFFFF, 1));
        assertEquals(1, Seq.minus(0, 0xFFFF));
        assertEquals(-1, Seq.minus(0xFFFF, 0));
        assertTrue(Seq.after(3, 0xFFFE));
        assertFalse(Seq.after(0xFFFE, 3));
    }

    @Test
    void aBuiltSelectiveAckReadsBackAcrossTheWrap() {
        int ack = 0xFFFE;
        java.util.Set<Integer> arrived = java.util.Set.of(1, 5, 40);
        byte[] mask = SelectiveAcks.of(ack, 64, arrived::contains);
        assertEquals(8, mask.length);
        Packet state = new Packet(PacketType.STATE, 1, 0, 0, 0, 7, ack, mask, null);
        for (int i = 0; i < 64; i++) {
            int seq = Seq.plus(ack, 2 + i);
            assertEquals(arrived.contains(seq), state.selectivelyAcked(seq), "seq " + seq);
        }
        assertNull(SelectiveAcks.of(ack, 64, seq -> false), "no selective ACK when nothing is out of order");
        assertArrayEquals(mask, state.selectiveAck());
    }

    private static void refused(String why, String hex) {
        UtpCodec.FormatException e = assertThrows(UtpCodec.FormatException.class,
                () -> UtpCodec.decode(ByteBuffer.wrap(HEX.parseHex(hex))));
        assertTrue(e.getMessage().contains(why), e.getMessage() + " should say " + why);
    }

    private static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HEX.formatHex(bytes);
    }
}
