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
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = i % 10 == 0 ? randomBytes(random) : mutate(HTTP_SEEDS.get(i % HTTP_SEEDS.size()), random);
            try {
                AnnounceResponse r = HttpTrackerCodec.parseAnnounce(input, LIMITS);
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
    }

    @Test
    void randomAndMutatedUdpPacketsNeverThrowAnythingButTrackerException() {
        Random random = new Random(2);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = i % 10 == 0 ? randomBytes(random) : mutate(UDP_SEEDS.get(i % UDP_SEEDS.size()), random);
            for (boolean ipv6 : new boolean[] {false, true}) {
                try {
                    UdpPacket p = UdpTrackerCodec.decode(ByteBuffer.wrap(input), ipv6, 3, LIMITS);
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
    }

    static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        if (b.length > 0 && random.nextBoolean()) {
            b[0] = 'd'; // give the bencode decoder something to chew on
        }
        return b;
    }

    /** Flips, inserts, deletes or duplicates bytes; sometimes splices digits to break lengths. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int op = random.nextInt(5);
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (op) {
                case 0:
                    if (b.length > 0) {
                        b[at] = (byte) random.nextInt(256);
                    }
                    break;
                case 1:
                    if (b.length > 0) {
                        b[at] = (byte) ('0' + random.nextInt(10));
                    }
                    break;
                case 2: {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                    break;
                }
                case 3:
                    if (b.length > 0) {
                        byte[] c = new byte[b.length - 1];
                        System.arraycopy(b, 0, c, 0, at);
                        System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                        b = c;
                    }
                    break;
                default: {
                    int len = Math.min(b.length - at, 1 + random.nextInt(20));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                    break;
                }
            }
        }
        return b;
    }
}
