package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.TorrentCreator;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid torrent is found by both of its swarms' hashes (BEP 52): a peer that hand-shakes
 * with the truncated v2 info-hash gets an answer for it, as one with the v1 hash
 * does. (libtorrent itself cannot be made a v2-only peer of a hybrid: given the hybrid's
 * .torrent it dials with the v1 hash, so this peer is a raw socket.)
 */
class HybridV2SwarmTest {
    @TempDir
    Path dir;

    @Test
    void aHybridAnswersHandshakesForItsTruncatedV2HashAndItsV1Hash() throws Exception {
        Path data = Payloads.file(dir.resolve("seed/file.bin"), 100_000, 9);
        TorrentMetainfo hybrid = TorrentCreator.create(new CreateRequest(data, 16384, List.of(), List.of(), false,
                null, 1, TorrentVersion.HYBRID), CreateProgress.NONE);
        try (InProcessEngine engine = new InProcessEngine(dir.resolve("state"))) {
            TorrentHandle seed = engine.engine.add(hybrid, AddOptions.in(dir.resolve("seed")));
            seed.completion().get(60, TimeUnit.SECONDS);
            InfoHash v2 = hybrid.infoHashV2().orElseThrow().truncated();
            byte[] answer = handshake(engine.port(), v2);
            assertArrayEquals(v2.bytes(), Arrays.copyOfRange(answer, 28, 48), "answered in the v2 swarm");
            answer = handshake(engine.port(), hybrid.infoHash());
            assertArrayEquals(hybrid.infoHash().bytes(), Arrays.copyOfRange(answer, 28, 48), "and in the v1 swarm");
            assertTrue(hybrid.infoHashV1().isPresent());
        }
    }

    /** Sends a plain BEP 3 handshake for {@code hash} with the v2 bit set; returns the 68 bytes answered. */
    private static byte[] handshake(int port, InfoHash hash) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            ByteBuffer out = ByteBuffer.allocate(68);
            out.put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
            byte[] reserved = new byte[8];
            reserved[5] = 0x10;
            reserved[7] = 0x14;
            out.put(reserved).put(hash.bytes()).put("-XX0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(out.array());
            byte[] answer = new byte[68];
            new DataInputStream(s.getInputStream()).readFully(answer);
            return answer;
        }
    }
}
