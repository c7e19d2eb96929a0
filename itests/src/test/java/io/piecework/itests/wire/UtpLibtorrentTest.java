package io.piecework.itests.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.transport.utp.internal.UtpEndpoint;
import io.piecework.transport.utp.internal.UtpStream;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerId;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.wire.WireLimits;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * uTP against libtorrent 2.0.8 with TCP switched off on its side: Piecework's uTP endpoint
 * dials it, and the BitTorrent conversation (handshake, interested, every block of a torrent)
 * runs over the uTP stream through the wire codec. The engine does not dial uTP yet (issue 14);
 * this shows the transport itself interoperates, bytes checked against the seeded file.
 */
class UtpLibtorrentTest {
    private static final int PIECE = 32768;
    private static final int SIZE = 3 * 1024 * 1024 + 12345;

    @TempDir
    Path dir;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @BeforeAll
    static void libtorrentIsInstalled() {
        assumeTrue(Files.isExecutable(Path.of(ScriptProcess.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
    }

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void downloadsATorrentFromLibtorrentOverUtpOnly() throws Exception {
        TestTorrent torrent = TestTorrent.create(dir, SIZE, PIECE);
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        PeerDecoder decoder = new PeerDecoder(new PeerMessageListener() {
            @Override
            public void onHandshake(Handshake handshake) {
                got.add(handshake);
            }

            @Override
            public void onUnchoke() {
                got.add("unchoke");
            }

            @Override
            public void onPiece(int piece, int begin, ByteBuffer block) {
                byte[] bytes = new byte[block.remaining()];
                block.get(bytes);
                got.add(new Object[] {piece, begin, bytes});
            }
        }, WireLimits.DEFAULT, RoaringBitmap::new, true);
        decoder.pieceCount(torrent.pieceCount());

        try (ScriptProcess seed = ScriptProcess.start(dir.resolve("libtorrent-utp.log"), List.of(ScriptProcess.PYTHON,
                script(), "seed", torrent.torrent().toString(), torrent.dataDir().toString()));
             UtpEndpoint endpoint = UtpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0), s -> null, 4)) {
            int port = Integer.parseInt(seed.await("PORT ", 30).substring(5).trim());
            UtpStream stream = endpoint.connect(new InetSocketAddress("127.0.0.1", port), new UtpStream.Handler() {
                @Override
                public void onData(UtpStream s, ByteBuffer data) {
                    try {
                        decoder.feed(data);
                    } catch (WireException e) {
                        got.add(e);
                    }
                }

                @Override
                public void onClosed(UtpStream s, String reason) {
                    got.add("closed: " + reason);
                }
            }).get(10, TimeUnit.SECONDS);

            ByteBuffer out = ByteBuffer.allocate(Handshake.LENGTH + WireEncoder.SIMPLE_LENGTH);
            WireEncoder.handshake(out, new Handshake(Handshake.ourReserved(false), torrent.infoHash(),
                    PeerId.generate(new Random(1))));
            WireEncoder.interested(out);
            assertTrue(stream.write(out.flip()));

            Handshake theirs = (Handshake) next(got, Handshake.class);
            assertEquals("-LT2080-", theirs.peerId().clientPrefix());
            next(got, String.class);

            byte[] received = new byte[SIZE];
            int blocks = 0;
            ByteBuffer requests = ByteBuffer.allocate((SIZE / 16384 + 1) * WireEncoder.BLOCK_REF_LENGTH);
            for (int at = 0; at < SIZE; at += 16384) {
                WireEncoder.request(requests, at / PIECE, at % PIECE, Math.min(16384, SIZE - at));
                blocks++;
            }
            // libtorrent queues up to its reqq (500 by default); the 206 requests fit.
            assertTrue(stream.write(requests.flip()));
            for (int i = 0; i < blocks; i++) {
                Object[] block = (Object[]) next(got, Object[].class);
                byte[] bytes = (byte[]) block[2];
                System.arraycopy(bytes, 0, received, (int) block[0] * PIECE + (int) block[1], bytes.length);
            }
            assertArrayEquals(torrent.content(), received);
            assertEquals(0, endpoint.malformed(), "every datagram libtorrent sent was a uTP packet we read");
            stream.close();
        }
    }

    @Test
    void libtorrentDownloadsATorrentFromUsOverUtpOnly() throws Exception {
        TestTorrent torrent = TestTorrent.create(dir, SIZE, PIECE);
        Path leechDir = Files.createDirectories(dir.resolve("leech"));
        BlockingQueue<Object> problems = new LinkedBlockingQueue<>();
        try (UtpEndpoint endpoint = UtpEndpoint.bind(group, new InetSocketAddress("127.0.0.1", 0),
                stream -> new Serving(stream, torrent, problems), 4);
             ScriptProcess leech = ScriptProcess.start(dir.resolve("libtorrent-utp-leech.log"), List.of(
                     ScriptProcess.PYTHON, script(), "leech", torrent.torrent().toString(), leechDir.toString(),
                     Integer.toString(endpoint.localAddress().getPort())))) {
            String done = leech.poll("DONE", 60);
            assertEquals(List.of(), List.copyOf(problems));
            assertNotNull(done, "libtorrent did not finish the download over uTP within 60 s; " + Serving.last
                    + "; malformed datagrams " + endpoint.malformed());
            assertTrue(leech.drained("HASHFAILED").isEmpty(), "libtorrent found a bad piece");
            assertArrayEquals(torrent.content(), Files.readAllBytes(leechDir.resolve("data.bin")));
        }
    }

    /** Our side of an accepted stream: handshake, have-all, unchoke, and every request answered. */
    private static final class Serving implements UtpStream.Handler, PeerMessageListener {
        private final UtpStream stream;
        private final TestTorrent torrent;
        private final BlockingQueue<Object> problems;
        private final PeerDecoder decoder;
        static volatile Serving last;
        private int requests;

        @Override
        public String toString() {
            return requests + " requests served; " + stream;
        }

        Serving(UtpStream stream, TestTorrent torrent, BlockingQueue<Object> problems) {
            this.stream = stream;
            this.torrent = torrent;
            this.problems = problems;
            this.decoder = new PeerDecoder(this, WireLimits.DEFAULT, RoaringBitmap::new, true);
            decoder.pieceCount(torrent.pieceCount());
            last = this;
        }

        @Override
        public void onHandshake(Handshake handshake) {
            decoder.fastExtension(true);
            ByteBuffer out = ByteBuffer.allocate(Handshake.LENGTH + 2 * WireEncoder.SIMPLE_LENGTH);
            WireEncoder.handshake(out, new Handshake(Handshake.ourReserved(false), torrent.infoHash(),
                    PeerId.generate(new Random(2))));
            WireEncoder.haveAll(out);
            WireEncoder.unchoke(out);
            stream.write(out.flip());
        }

        @Override
        public void onRequest(int piece, int begin, int length) {
            requests++;
            int at = piece * PIECE + begin;
            ByteBuffer out = ByteBuffer.allocate(WireEncoder.PIECE_HEADER_LENGTH + length);
            WireEncoder.piece(out, piece, begin, ByteBuffer.wrap(torrent.content(), at, length));
            if (!stream.write(out.flip())) {
                problems.add("write refused for block " + piece + "/" + begin);
            }
        }

        @Override
        public void onData(UtpStream s, ByteBuffer data) {
            try {
                decoder.feed(data);
            } catch (WireException e) {
                problems.add(e);
            }
        }

        @Override
        public void onClosed(UtpStream s, String reason) {
        }
    }

    /**
     * The next message of {@code type}, passing over repeated unchokes (libtorrent may send more
     * than one); fails on an end or a decoding error, or after 30 s without one.
     */
    private static Object next(BlockingQueue<Object> got, Class<?> type) throws InterruptedException {
        while (true) {
            Object message = got.poll(30, TimeUnit.SECONDS);
            assertNotNull(message, "nothing from libtorrent within 30 s; expected " + type.getSimpleName());
            if (type.isInstance(message)) {
                return message;
            }
            assertEquals("unchoke", message, "expected " + type.getSimpleName());
        }
    }

    private static String script() throws URISyntaxException {
        return Path.of(UtpLibtorrentTest.class.getResource("/python/wire/ltutp.py").toURI()).toString();
    }
}
