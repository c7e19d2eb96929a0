package io.piecework.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the KRPC decoder, which reads every datagram a stranger sends
 * (docs/fuzzing.md). Without JAZZER_FUZZ this replays KrpcCodecFuzzTestInputs/ as ordinary
 * tests. (internal.KrpcFuzzTest throws mutated packets at a live node instead.)
 *
 * <p>Contract: a message or a {@link KrpcException}, nothing else; what is returned stays
 * within the codec's bounds; re-encoding a decoded message with the codec's own encoders
 * decodes to the same message.
 */
class KrpcCodecFuzzTest {
    @DictionaryEntries({"1:t", "1:y1:q", "1:y1:r", "1:y1:e", "1:q4:ping", "1:q9:find_node", "1:q9:get_peers",
            "1:q13:announce_peer", "1:ad2:id20:", "1:rd2:id20:", "6:target20:", "9:info_hash20:", "5:token",
            "4:port", "12:implied_port", "5:nodes", "6:values", "2:ro", "1:eli201e"})
    @FuzzTest(maxDuration = "10m")
    void decode(byte[] packet) {
        KrpcMessage m;
        try {
            m = KrpcCodec.decode(ByteBuffer.wrap(packet));
        } catch (KrpcException e) {
            return;
        }
        assertTrue(m.transaction().length >= 1 && m.transaction().length <= KrpcCodec.MAX_TRANSACTION);
        if (m instanceof KrpcMessage.Query q) {
            assertTrue(q.method().length() <= KrpcCodec.MAX_METHOD);
            assertTrue(q.token() == null || q.token().length >= 1 && q.token().length <= KrpcCodec.MAX_TOKEN);
            assertTrue(q.port() >= 0 && q.port() <= 65_535);
            reencode(q);
        } else if (m instanceof KrpcMessage.Response r) {
            assertTrue(r.nodes().size() <= KrpcCodec.MAX_NODES && r.values().size() <= KrpcCodec.MAX_VALUES);
            assertTrue(r.token() == null || r.token().length <= KrpcCodec.MAX_TOKEN);
            KrpcMessage.Response again = (KrpcMessage.Response) decodeOwn(
                    KrpcCodec.response(r.transaction(), r.id(), r.nodes(), r.values(), r.token()));
            assertArrayEquals(r.transaction(), again.transaction());
            assertEquals(r.id(), again.id());
            assertEquals(r.nodes(), again.nodes());
            assertEquals(r.values(), again.values());
            assertArrayEquals(r.token(), again.token());
        } else {
            KrpcMessage.Error e = (KrpcMessage.Error) m;
            assertTrue(e.message().length() <= KrpcCodec.MAX_ERROR_CHARS + 3);
            // Only messages the encoder writes unchanged: short ASCII text, an int code.
            if (e.code() == (int) e.code() && e.message().length() <= KrpcCodec.MAX_ERROR_CHARS
                    && e.message().chars().allMatch(c -> c < 0x80)) {
                KrpcMessage.Error again = (KrpcMessage.Error) decodeOwn(
                        KrpcCodec.error(e.transaction(), (int) e.code(), e.message()));
                assertEquals(e.code(), again.code());
                assertEquals(e.message(), again.message());
            }
        }
    }

    private static void reencode(KrpcMessage.Query q) {
        byte[] tx = q.transaction();
        byte[] encoded = switch (q.method()) {
            case "ping" -> KrpcCodec.ping(tx, q.id(), q.readOnly());
            case "find_node" -> KrpcCodec.findNode(tx, q.id(), q.target(), q.readOnly());
            case "get_peers" -> KrpcCodec.getPeers(tx, q.id(), q.target(), q.readOnly());
            case "announce_peer" -> KrpcCodec.announcePeer(tx, q.id(), q.target(), q.port(), q.token(),
                    q.impliedPort(), q.readOnly());
            default -> null; // methods the node answers with 204 have no encoder
        };
        if (encoded == null) {
            return;
        }
        KrpcMessage.Query again = (KrpcMessage.Query) decodeOwn(encoded);
        assertArrayEquals(q.transaction(), again.transaction());
        assertEquals(q.method(), again.method());
        assertEquals(q.id(), again.id());
        assertEquals(q.target(), again.target());
        assertArrayEquals(q.token(), again.token());
        assertEquals(q.port(), again.port());
        assertEquals(q.impliedPort(), again.impliedPort());
        assertEquals(q.readOnly(), again.readOnly());
    }

    private static KrpcMessage decodeOwn(byte[] encoded) {
        try {
            return KrpcCodec.decode(ByteBuffer.wrap(encoded));
        } catch (KrpcException e) {
            throw new AssertionError("our own encoding does not decode", e);
        }
    }
}
