package io.piecework.tracker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated tracker responses: the codecs either return a bounded result or throw
 * {@link TrackerException}; any other exception fails the test with the input that caused it.
 */
class TrackerFuzzTest {
    private static final int ROUNDS = 20_000;
    private static final TrackerLimits LIMITS = new TrackerLimits(4096, 20, 32);

    private static final List<byte[]> HTTP_SEEDS = List.of(
            HttpTrackerCodecTest.bytes("d8:completei3e10:incompletei4e8:intervali1800e12:min intervali900e5:peers12:",
                    new byte[] {127, 0, 0, 1, 0x1a, (byte) 0xe1, 10, 0, 0, 2, 0, 80}, "6:peers618:",
                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1b, 0x39},
                    "10:tracker id3:abc15:warning message4:slowe"),
            HttpTrackerCodecTest.bytes("d8:intervali60e5:peersld2:ip9:127.0.0.17:peer id20:xxxxxxxxxxxxxxxxxxxx",
                    "4:porti5000eed2:ip3:::14:porti5002eeee"),
            HttpTrackerCodecTest.bytes("d14:failure reason6:no waye"),
            HttpTrackerCodecTest.bytes("d5:filesd20:", HttpTrackerCodecTest.HASH.bytes(),
                    "d8:completei1e10:downloadedi7e10:incompletei2eeee"));

    private static final List<byte[]> UDP_SEEDS = List.of(
            HexFormat.of().parseHex("000000000000002a1122334455667788"),
            HexFormat.of().parseHex("000000010000002a0000070800000002000000037f0000011ae10a0000020050"),
            HexFormat.of().parseHex("000000020000002a000000010000000700000002"),
            HexFormat.of().parseHex("000000030000002a6e6f207375636820746f7272656e74"));

    @Test
    void randomAndMutatedHttpBodiesNeverThrowAnythingButTrackerException() {
        Random random = new Random(1);
        int accepted = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = i % 10 == 0 ? Mutations.randomBytes(random) : Mutations.mutate(HTTP_SEEDS.get(i % HTTP_SEEDS.size()), random);
            try {
                AnnounceResponse r = HttpTrackerCodec.parseAnnounce(input, LIMITS);
                accepted++;
                assertTrue(r.peers().size() <= LIMITS.maxPeers());
                assertTrue(r.warning() == null || r.warning().length() <= LIMITS.maxMessageChars() + 3);
            } catch (TrackerException expected) {
                // refused, as it should be for most inputs
            } catch (RuntimeException e) {
                throw new AssertionError("announce parser threw on " + HexFormat.of().formatHex(input), e);
            }
            try {
                assertTrue(HttpTrackerCodec.parseScrape(input, LIMITS).size() <= input.length / 20);
            } catch (TrackerException expected) {
                // refused
            } catch (RuntimeException e) {
                throw new AssertionError("scrape parser threw on " + HexFormat.of().formatHex(input), e);
            }
        }
        // Mutations that keep the structure must get through, or the fuzzing only tests the first byte.
        assertTrue(accepted > ROUNDS / 20, "accepted " + accepted);
    }

    @Test
    void randomAndMutatedUdpPacketsNeverThrowAnythingButTrackerException() {
        Random random = new Random(2);
        int accepted = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = i % 10 == 0 ? Mutations.randomBytes(random) : Mutations.mutate(UDP_SEEDS.get(i % UDP_SEEDS.size()), random);
            for (boolean ipv6 : new boolean[] {false, true}) {
                try {
                    UdpPacket p = UdpTrackerCodec.decode(ByteBuffer.wrap(input), ipv6, 3, LIMITS);
                    accepted++;
                    if (p instanceof UdpPacket.Announced a) {
                        assertTrue(a.response().peers().size() <= LIMITS.maxPeers());
                    } else if (p instanceof UdpPacket.Scraped s) {
                        assertTrue(s.stats().size() <= 3);
                    } else if (p instanceof UdpPacket.Error e) {
                        assertTrue(e.message().length() <= LIMITS.maxMessageChars() + 3);
                    }
                } catch (TrackerException expected) {
                    // refused
                } catch (RuntimeException e) {
                    throw new AssertionError("UDP decoder threw on " + HexFormat.of().formatHex(input), e);
                }
            }
        }
        assertTrue(accepted > ROUNDS / 20, "accepted " + accepted);
    }
}
