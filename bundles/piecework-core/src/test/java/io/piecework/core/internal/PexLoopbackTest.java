package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Peer exchange between engines: a peer learns of a third through the one it knows. */
class PexLoopbackTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    private Engine engine(String name) throws Exception {
        // PEX every second instead of every minute, so the test takes seconds.
        return engines.engine(name, new EngineSettings(50, 500, 4, 10, 2, 1));
    }

    private TorrentMetainfo torrent(boolean privateFlag) throws Exception {
        Path data = dir.resolve("seed/data.bin");
        byte[] b = new byte[2_000_000];
        new Random(9).nextBytes(b);
        Files.createDirectories(data.getParent());
        Files.write(data, b);
        return TorrentCreator.create(new CreateRequest(data, 16 * 1024, List.of(), List.of(), privateFlag, null, 1),
                CreateProgress.NONE);
    }

    /**
     * Three peers with none of the data, so nobody completes and drops anyone: the middle one
     * knows the first, the third knows only the middle one.
     */
    private InetSocketAddress[] swarm(TorrentMetainfo meta, Engine[] third) throws Exception {
        Engine first = engine("first");
        first.add(meta, AddOptions.in(dir.resolve("first")));
        Engine middle = engine("middle");
        InetSocketAddress firstAt = new InetSocketAddress("127.0.0.1", first.listenPort());
        middle.add(meta, new AddOptions(dir.resolve("middle"), false, List.of(firstAt)));
        third[0] = engine("third");
        InetSocketAddress middleAt = new InetSocketAddress("127.0.0.1", middle.listenPort());
        third[0].add(meta, new AddOptions(dir.resolve("third"), false, List.of(middleAt)));
        return new InetSocketAddress[] {firstAt, middleAt};
    }

    private static boolean learns(Engine engine, TorrentMetainfo meta, InetSocketAddress peer, long millis)
            throws InterruptedException {
        Torrent t = (Torrent) engine.find(meta.infoHash()).orElseThrow();
        return LoopbackEngines.within(millis, () -> t.connector.known().contains(peer));
    }

    @Test
    void aPeerLearnsOfAnotherThroughThePeerItKnows() throws Exception {
        TorrentMetainfo meta = torrent(false);
        Engine[] third = new Engine[1];
        InetSocketAddress[] at = swarm(meta, third);
        assertTrue(learns(third[0], meta, at[0], 15_000), "the first peer's address arrived by PEX");
    }

    @Test
    void aPrivateTorrentExchangesNoPeers() throws Exception {
        TorrentMetainfo meta = torrent(true);
        Engine[] third = new Engine[1];
        InetSocketAddress[] at = swarm(meta, third);
        Torrent t = (Torrent) third[0].find(meta.infoHash()).orElseThrow();
        assertTrue(LoopbackEngines.within(15_000, () -> t.stats().peers() > 0), "connected to the middle peer");
        // PEX runs every second here: three seconds would have carried the address several times.
        assertTrue(!learns(third[0], meta, at[0], 3_000), "no PEX for private torrents");
    }
}
