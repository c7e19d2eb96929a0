package io.piecework.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte vectors from BEP 5's examples, and the malformed packets the node must refuse. */
class KrpcCodecTest {
    static final NodeId A = id("abcdefghij0123456789");
    static final NodeId B = id("mnopqrstuvwxyz123456");

    static NodeId id(String twenty) {
        return NodeId.of(twenty.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static KrpcMessage decode(String s) throws KrpcException {
        return KrpcCodec.decode(ByteBuffer.wrap(b(s)));
    }

    @Test
    void encodesTheBepExampleQueries() {
        assertEquals("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
                new String(KrpcCodec.ping(b("aa"), A, false), StandardCharsets.ISO_8859_1));
        assertEquals("d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe",
                new String(KrpcCodec.findNode(b("aa"), A, B, false), StandardCharsets.ISO_8859_1));
        assertEquals("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe",
                new String(KrpcCodec.getPeers(b("aa"), A, B, false), StandardCharsets.ISO_8859_1));
        assertEquals("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e"
                + "5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
                new String(KrpcCodec.announcePeer(b("aa"), A, B, 6881, b("aoeusnth"), true, false),
                        StandardCharsets.ISO_8859_1));
        assertEquals("d1:ad2:id20:abcdefghij0123456789e1:q4:ping2:roi1e1:t2:aa1:y1:qe",
                new String(KrpcCodec.ping(b("aa"), A, true), StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesQueriesWithTheirArguments() throws Exception {
        KrpcMessage.Query q = (KrpcMessage.Query) decode(
                "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e"
                        + "5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe");
        assertEquals("announce_peer", q.method());
        assertEquals(A, q.id());
        assertEquals(B, q.target());
        assertArrayEquals(b("aoeusnth"), q.token());
        assertTrue(q.impliedPort());
        assertFalse(q.readOnly());
        KrpcMessage.Query ro = (KrpcMessage.Query) decode("d1:ad2:id20:abcdefghij0123456789e1:q4:ping2:roi1e1:t2:aa1:y1:qe");
        assertTrue(ro.readOnly());
        KrpcMessage.Query unknown = (KrpcMessage.Query) decode("d1:ad2:id20:abcdefghij0123456789e1:q3:foo1:t2:aa1:y1:qe");
        assertEquals("foo", unknown.method());
    }

    @Test
    void responsesRoundTripNodesValuesAndToken() throws Exception {
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 6881);
        NodeInfo n = new NodeInfo(B, new InetSocketAddress("10.0.0.2", 80));
        byte[] bytes = KrpcCodec.response(b("tx"), A, List.of(n), List.of(peer), b("tok"));
        assertEquals("d1:rd2:id20:abcdefghij01234567895:nodes26:mnopqrstuvwxyz123456\n\0\0\2\0P5:token3:tok6:valuesl6:"
                + "\177\0\0\1\032\341ee1:t2:tx1:y1:re", new String(bytes, StandardCharsets.ISO_8859_1));
        KrpcMessage.Response r = (KrpcMessage.Response) KrpcCodec.decode(ByteBuffer.wrap(bytes));
        assertEquals(A, r.id());
        assertEquals(List.of(n), r.nodes());
        assertEquals(List.of(peer), r.values());
        assertArrayEquals(b("tok"), r.token());
        KrpcMessage.Response bare = (KrpcMessage.Response) decode("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re");
        assertTrue(bare.nodes().isEmpty() && bare.values().isEmpty());
        assertNull(bare.token());
    }

    @Test
    void aResponseCarriesTheQueristsAddressAtTopLevel() throws Exception {
        InetSocketAddress querist = new InetSocketAddress("124.31.75.21", 1234);
        byte[] bytes = KrpcCodec.response(b("tx"), A, List.of(), List.of(), List.of(), null, querist);
        assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).startsWith("d2:ip6:"), "BEP 42: a top-level ip");
        assertEquals(querist, ((KrpcMessage.Response) KrpcCodec.decode(ByteBuffer.wrap(bytes))).ip());
        byte[] odd = ("d2:ip3:abc1:rd2:id20:" + "a".repeat(20) + "e1:t2:tx1:y1:re").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(null, ((KrpcMessage.Response) KrpcCodec.decode(ByteBuffer.wrap(odd))).ip(), "ignored, not fatal");
    }

    @Test
    void decodesErrorsAndIgnoresUnknownKeys() throws Exception {
        KrpcMessage.Error e = (KrpcMessage.Error) decode("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee");
        assertEquals(201, e.code());
        assertEquals("A Generic Error Ocurred", e.message());
        assertEquals(A, ((KrpcMessage.Response) decode("d2:ip6:\177\0\0\1\0\0011:rd2:id20:abcdefghij01234567891:pi5ee"
                + "1:t2:aa1:v4:LT\2\b1:y1:re")).id());
    }

    @Test
    void skipsOddLengthValuesAndZeroPorts() throws Exception {
        KrpcMessage.Response r = (KrpcMessage.Response) decode("d1:rd2:id20:abcdefghij01234567896:valuesl7:"
                + "0000000" + "6:\177\0\0\1\0\0" + "6:\177\0\0\1\0\1" + "ee1:t2:aa1:y1:re");
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 1)), r.values());
    }

    @Test
    void refusesWrongLengthsAndTypes() {
        String[] bad = {
            "le", "i1e", "d1:t2:aa1:y1:xe", "d1:y1:qe", "d1:t0:1:y1:qe",
            "d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe",
            "d1:ad2:id21:abcdefghij0123456789xe1:q4:ping1:t2:aa1:y1:qe",
            "d1:ad2:id20:abcdefghij01234567896:target3:abce1:q9:find_node1:t2:aa1:y1:qe",
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token0:e1:q13:announce_peer1:t2:aa1:y1:qe",
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti6881ee1:q13:announce_peer1:t2:aa1:y1:qe",
            "d1:rd2:id20:abcdefghij01234567895:nodes25:mnopqrstuvwxyz123456\0\0\0\0\0e1:t2:aa1:y1:re",
            "d1:rd2:id20:abcdefghij01234567896:valuesi1ee1:t2:aa1:y1:re",
            "d1:rd2:id20:abcdefghij01234567895:token0:e1:t2:aa1:y1:re",
            "d1:eli201ee1:t2:aa1:y1:ee",
            "d1:t17:aaaaaaaaaaaaaaaaa1:y1:qe",
        };
        for (String s : bad) {
            assertThrows(KrpcException.class, () -> decode(s), s);
        }
        assertThrows(KrpcException.class, () -> KrpcCodec.decode(ByteBuffer.allocate(KrpcCodec.MAX_PACKET + 1)));
    }

    @Test
    void malformedQueriesCarryTheirTransactionForAnErrorReply() {
        KrpcException e = assertThrows(KrpcException.class,
                () -> decode("d1:ad2:id3:abce1:q4:ping1:t2:zz1:y1:qe"));
        assertArrayEquals(b("zz"), e.transaction());
        KrpcException r = assertThrows(KrpcException.class, () -> decode("d1:rd2:id3:abce1:t2:zz1:y1:re"));
        assertNull(r.transaction(), "no error replies to responses");
    }

    @Test
    void nodeIdDistanceAndPrefixes() {
        NodeId zero = NodeId.of(new byte[20]);
        byte[] one = new byte[20];
        one[19] = 1;
        byte[] top = new byte[20];
        top[0] = (byte) 0x80;
        assertTrue(zero.closer(NodeId.of(one), NodeId.of(top)) < 0);
        assertEquals(159, zero.commonPrefix(NodeId.of(one)));
        assertEquals(0, zero.commonPrefix(NodeId.of(top)));
        assertEquals(160, zero.commonPrefix(zero));
        java.util.Random r = new java.util.Random(3);
        for (int p = 0; p < 160; p++) {
            assertEquals(p, A.commonPrefix(A.randomWithPrefix(p, r)));
        }
    }
}
