package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.transport.utp.internal.UtpPeerTransport;
import io.piecework.transport.utp.internal.UtpSettings;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * One torrent downloads from a seeder over TCP and another over uTP at once, under an
 * engine-wide download limit: together they must stay within the one limit (before, each
 * transport took all of it, so the two made twice). Only a lower bound on the time: load can
 * slow the transfer but never speed it up.
 */
class SharedLimitLoopbackTest {
    private static final int SIZE = 12 << 20;
    private static final long LIMIT = 2 << 20;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private NettyPeerTransport tcp(int port) throws Exception {
        NettyPeerTransport t = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", port),
                RoaringBitmap::new);
        open.add(t);
        return t;
    }

    private UtpPeerTransport utp(NettyPeerTransport tcp, int port) throws Exception {
        UtpPeerTransport t = new UtpPeerTransport(UtpSettings.defaults().withListen("127.0.0.1", port),
                tcp.localPeerId(), -1, RoaringBitmap::new);
        open.add(t);
        return t;
    }

    private Engine engine(String name, Transports transports) {
        FileStorageProvider storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve(name + "-state")));
        open.add(storage::close);
        Engine engine = new Engine(transports, new EngineSettings(50, 500, 4, 10, 2));
        open.add(engine);
        engine.useStorage(storage);
        engine.useStrategy(new NaiveStrategy(), "naive");
        return engine;
    }

    @Test
    void aTorrentDownloadingOverTcpAndUtpAtOnceStaysWithinTheEngineWideLimit() throws Exception {
        Path data = dir.resolve("seed/data.bin");
        Files.createDirectories(data.getParent());
        byte[] b = new byte[SIZE];
        new Random(3).nextBytes(b);
        Files.write(data, b);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 256 * 1024, List.of(), List.of(), false,
                null, 1), CreateProgress.NONE);

        // Seeder A speaks TCP only; seeder B only uTP (its TCP transport does not listen).
        Engine a = engine("a", new Transports(tcp(0), Transports.TCP));
        NettyPeerTransport bTcp = tcp(-1);
        UtpPeerTransport bUtp = utp(bTcp, 0);
        Transports bTransports = new Transports(bTcp, Transports.TCP);
        bTransports.add(Transports.UTP, bUtp);
        Engine bEngine = engine("b", bTransports);
        TorrentHandle seedA = a.add(meta, AddOptions.in(dir.resolve("seed")));
        TorrentHandle seedB = bEngine.add(meta, AddOptions.in(dir.resolve("seed")));
        seedA.completion().get(30, TimeUnit.SECONDS);
        seedB.completion().get(30, TimeUnit.SECONDS);

        NettyPeerTransport lTcp = tcp(0);
        Transports leecher = new Transports(lTcp, Transports.TCP);
        leecher.add(Transports.UTP, utp(lTcp, -1));
        leecher.limitRates(LIMIT, 0); // what the engine's download.limit.kib does (GlobalRates)
        Engine l = engine("leecher", leecher);
        long start = System.nanoTime();
        TorrentHandle leeching = l.add(meta, AddOptions.in(dir.resolve("down")).withPeers(List.of(
                new InetSocketAddress("127.0.0.1", a.listenPort()), new InetSocketAddress("127.0.0.1", bUtp.port()))));
        leeching.completion().get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(meta.pieceCount(), leeching.stats().piecesVerified());

        long overTcp = seedA.stats().uploaded();
        long overUtp = seedB.stats().uploaded();
        long received = leeching.stats().downloaded(); // every block that came, endgame duplicates too
        double rate = received / seconds;
        String what = String.format("%d B (TCP seeder sent %d, uTP seeder %d) in %.2f s: %.2f MiB/s at a limit of"
                + " %d MiB/s", received, overTcp, overUtp, seconds, rate / (1 << 20), LIMIT >> 20);
        System.out.println(what);
        assertTrue(overUtp > 0 && overTcp > 0, "both transports carried blocks: " + what);
        // An upper bound on the rate, i.e. a lower bound on the time for the bytes that came: load
        // can only slow it. Each transport with the whole limit made 1.68 x the limit.
        assertTrue(rate < 1.35 * LIMIT, what);
    }
}
