package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the uTP packet codec, which reads every datagram on the shared
 * UDP port (docs/fuzzing.md). Without JAZZER_FUZZ this replays UtpCodecFuzzTestInputs/ as
 * ordinary tests.
 *
 * <p>Contract: a packet or a {@link UtpCodec.FormatException}, nothing else; a packet is never
 * larger than its datagram, and re-encoding it decodes to the same fields (unknown extensions
 * are dropped on the way, so the bytes may be shorter).
 */
class UtpCodecFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void decode(byte[] datagram) throws UtpCodec.FormatException {
        Packet packet;
        try {
            packet = UtpCodec.decode(ByteBuffer.wrap(datagram));
        } catch (UtpCodec.FormatException e) {
            return;
        }
        assertTrue(packet.size() <= datagram.length);
        Packet again = UtpCodec.decode(UtpCodec.encode(packet));
        assertEquals(packet.type(), again.type());
        assertEquals(packet.connectionId(), again.connectionId());
        assertEquals(packet.timestampMicros(), again.timestampMicros());
        assertEquals(packet.timestampDifferenceMicros(), again.timestampDifferenceMicros());
        assertEquals(packet.windowSize(), again.windowSize());
        assertEquals(packet.seqNr(), again.seqNr());
        assertEquals(packet.ackNr(), again.ackNr());
        assertEquals(java.util.Arrays.toString(packet.selectiveAck()), java.util.Arrays.toString(again.selectiveAck()));
        assertEquals(packet.payload(), again.payload());
    }
}
