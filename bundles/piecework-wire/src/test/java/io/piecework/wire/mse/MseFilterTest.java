package io.piecework.wire.mse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.WireException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Two filters joined by byte arrays, the peer's bytes fed one at a time as a slow stream brings them. */
class MseFilterTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final byte[] HANDSHAKE = ("\u0013BitTorrent protocol" + "\0".repeat(8) + "x".repeat(40))
            .getBytes(StandardCharsets.ISO_8859_1);
    private final SecureRandom random = new SecureRandom();

    /** One side: what it sends to the other, and the payload it received. */
    private static final class Side {
        final MseFilter filter;
        final ByteArrayOutputStream toPeer = new ByteArrayOutputStream();
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        Side(MseFilter filter) {
            this.filter = filter;
            toPeer.writeBytes(filter.start());
        }

        /** Takes what the peer sent, one byte per call; returns whether anything arrived. */
        boolean takeFrom(Side peer) throws WireException {
            byte[] in = peer.toPeer.toByteArray();
            peer.toPeer.reset();
            for (byte b : in) {
                filter.receive(ByteBuffer.wrap(new byte[] {b}).asReadOnlyBuffer(), toPeer::writeBytes,
                        p -> payload.writeBytes(copy(p)));
            }
            return in.length > 0;
        }

        /** Sends payload through the filter, as a transport's writer does. */
        void send(byte[] plain) {
            ByteBuffer out = ByteBuffer.wrap(plain.clone());
            filter.encrypt(out);
            toPeer.writeBytes(out.array());
        }
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    private static void converse(Side a, Side b) throws WireException {
        for (int round = 0; round < 10 && (a.takeFrom(b) | b.takeFrom(a)); round++) {
            // until neither has anything to say
        }
    }

    @Test
    void anRc4StreamCarriesThePayloadBothWaysAndHidesIt() throws WireException {
        Side dialler = new Side(MseFilter.outgoing(MsePolicy.FORCED, HASH, random));
        Side acceptor = new Side(MseFilter.incoming(MsePolicy.PREFER_PLAINTEXT, h -> HASH, random));
        converse(dialler, acceptor);
        assertTrue(dialler.filter.ready() && acceptor.filter.ready());
        assertTrue(dialler.filter.encrypted() && acceptor.filter.encrypted());

        dialler.send(HANDSHAKE);
        byte[] onTheWire = dialler.toPeer.toByteArray();
        assertFalse(Arrays.equals(HANDSHAKE, onTheWire), "RC4 on the wire");
        acceptor.takeFrom(dialler);
        assertArrayEquals(HANDSHAKE, acceptor.payload.toByteArray());
        acceptor.send(HANDSHAKE);
        dialler.takeFrom(acceptor);
        assertArrayEquals(HANDSHAKE, dialler.payload.toByteArray());
    }

    @Test
    void aPlaintextOpeningIsPassedOnWhole() throws WireException {
        MseFilter filter = MseFilter.incoming(MsePolicy.PREFER_PLAINTEXT, h -> HASH, random);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (byte b : HANDSHAKE) {
            filter.receive(ByteBuffer.wrap(new byte[] {b}), r -> { throw new AssertionError("no reply"); },
                    p -> payload.writeBytes(copy(p)));
        }
        assertTrue(filter.ready());
        assertFalse(filter.encrypted());
        assertArrayEquals(HANDSHAKE, payload.toByteArray());
    }

    @Test
    void thePolicyRefusesWhatItDoesNotAccept() {
        MseFilter forced = MseFilter.incoming(MsePolicy.FORCED, h -> HASH, random);
        WireException plaintext = assertThrows(WireException.class,
                () -> forced.receive(ByteBuffer.wrap(HANDSHAKE), r -> { }, p -> { }));
        assertEquals("plaintext handshake refused: encryption is forced", plaintext.getMessage());
        MseFilter disabled = MseFilter.incoming(MsePolicy.DISABLED, h -> HASH, random);
        assertThrows(WireException.class, () -> disabled.receive(ByteBuffer.wrap(new byte[] {1}), r -> { }, p -> { }));
    }

    @Test
    void aStreamEndingInTheHandshakeSaysWhere() throws WireException {
        MseFilter filter = MseFilter.incoming(MsePolicy.PREFER_PLAINTEXT, h -> HASH, random);
        filter.receive(ByteBuffer.wrap(new byte[] {19}), r -> { }, p -> { });
        assertThrows(WireException.class, filter::ended);
        MseFilter dialler = MseFilter.outgoing(MsePolicy.FORCED, HASH, random);
        WireException e = assertThrows(WireException.class, dialler::ended);
        assertTrue(e.getMessage().contains("KEY"), e.getMessage());
    }
}
