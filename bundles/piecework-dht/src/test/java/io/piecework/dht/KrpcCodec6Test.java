package io.piecework.dht;

import static io.piecework.dht.KrpcCodecTest.A;
import static io.piecework.dht.KrpcCodecTest.B;
import static io.piecework.dht.KrpcCodecTest.b;
import static io.piecework.dht.KrpcCodecTest.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BEP 32 byte vectors: nodes6, want, 18-byte values, and the hostile forms of each. */
class KrpcCodec6Test {
    /** ::1 port 6881 and 2001:db8::2 port 80, compact. */
    static final String LOOP6 = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\032\341";
    static final String DOC6 = "\040\001\015\270\0\0\0\0\0\0\0\0\0\0\0\2\0P";

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesWantInFindNodeAndGetPeers() {
        assertEquals("d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz1234564:wantl2:n42:n6ee"
                + "1:q9:find_node1:t2:aa1:y1:qe",
                s(KrpcCodec.findNode(b("aa"), A, B, false, Set.of("n6", "n4"))));
        assertEquals("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:wantl2:n6ee"
                + "1:q9:get_peers1:t2:aa1:y1:qe", s(KrpcCodec.getPeers(b("aa"), A, B, false, Set.of("n6"))));
    }

    @Test
    void decodesWantAndIgnoresUnknownFlags() throws Exception {
        KrpcMessage.Query q = (KrpcMessage.Query) decode("d1:ad2:id20:abcdefghij01234567896:target20:"
                + "mnopqrstuvwxyz1234564:wantl2:n63:n99ee1:q9:find_node1:t2:aa1:y1:qe");
        assertEquals(Set.of("n6"), q.want());
        KrpcMessage.Query none = (KrpcMessage.Query) decode("d1:ad2:id20:abcdefghij01234567899:info_hash20:"
                + "mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe");
        assertTrue(none.want().isEmpty());
    }

    @Test
    void responsesRoundTripNodes6AndIpv6Values() throws Exception {
        NodeInfo n6 = new NodeInfo(B, new InetSocketAddress("2001:db8::2", 80));
        NodeInfo n4 = new NodeInfo(B, new InetSocketAddress("10.0.0.2", 80));
        InetSocketAddress peer = new InetSocketAddress("::1", 6881);
        byte[] bytes = KrpcCodec.response(b("tx"), A, List.of(n4), List.of(n6), List.of(peer), null);
        assertEquals("d1:rd2:id20:abcdefghij01234567895:nodes26:mnopqrstuvwxyz123456\n\0\0\2\0P"
                + "6:nodes638:mnopqrstuvwxyz123456" + DOC6 + "6:valuesl18:" + LOOP6 + "ee1:t2:tx1:y1:re", s(bytes));
        KrpcMessage.Response r = (KrpcMessage.Response) KrpcCodec.decode(ByteBuffer.wrap(bytes));
        assertEquals(List.of(n4), r.nodes());
        assertEquals(List.of(n6), r.nodes6());
        assertEquals(List.of(peer), r.values());
    }

    @Test
    void readsHybridValueLists() throws Exception {
        KrpcMessage.Response r = (KrpcMessage.Response) decode("d1:rd2:id20:abcdefghij01234567896:valuesl18:"
                + LOOP6 + "6:\177\0\0\1\0\1" + "18:" + DOC6 + "ee1:t2:aa1:y1:re");
        assertEquals(List.of(new InetSocketAddress("::1", 6881), new InetSocketAddress("127.0.0.1", 1),
                new InetSocketAddress("2001:db8::2", 80)), r.values());
    }

    @Test
    void refusesTruncatedAndOversizeNodes6() {
        String truncated = "d1:rd2:id20:abcdefghij01234567896:nodes637:mnopqrstuvwxyz123456"
                + DOC6.substring(1) + "e1:t2:aa1:y1:re";
        assertThrows(KrpcException.class, () -> decode(truncated));
        String entry = "mnopqrstuvwxyz123456" + DOC6;
        String seventeen = entry.repeat(KrpcCodec.MAX_NODES + 1);
        assertThrows(KrpcException.class, () -> decode("d1:rd2:id20:abcdefghij01234567896:nodes6"
                + seventeen.length() + ":" + seventeen + "e1:t2:aa1:y1:re"));
        assertThrows(KrpcException.class, () -> decode("d1:rd2:id20:abcdefghij01234567896:nodes6i1ee1:t2:aa1:y1:re"));
        KrpcException bad = assertThrows(KrpcException.class, () -> decode("d1:ad2:id20:abcdefghij01234567896:target20:"
                + "mnopqrstuvwxyz1234564:want2:n6e1:q9:find_node1:t2:zz1:y1:qe"));
        assertEquals("zz", s(bad.transaction()), "a malformed want is a protocol error the node answers");
        assertThrows(KrpcException.class, () -> decode("d1:ad2:id20:abcdefghij01234567896:target20:"
                + "mnopqrstuvwxyz1234564:wantli1eee1:q9:find_node1:t2:zz1:y1:qe"));
    }

    @Test
    void nodesAndNodes6DoNotMixFamilies() {
        NodeInfo n6 = new NodeInfo(B, new InetSocketAddress("::1", 1));
        assertThrows(IllegalArgumentException.class, () -> KrpcCodec.compactNodes(List.of(n6)));
        NodeInfo n4 = new NodeInfo(B, new InetSocketAddress("127.0.0.1", 1));
        assertThrows(IllegalArgumentException.class, () -> KrpcCodec.compactNodes6(List.of(n4)));
    }
}
