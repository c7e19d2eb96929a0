package io.piecework.itests.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.core.internal.Engine;
import io.piecework.dht.internal.DhtPeerSource;
import io.piecework.dht.internal.DhtSettings;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * The reverse of {@link DhtInteropTest}: a Piecework engine seeds and announces its torrent
 * into a small loopback DHT of libtorrent-rasterbar 2.0.8 nodes (our DHT node knows only one
 * of them); a libtorrent leecher given only {@code magnet:?xt=urn:btih:<hash>} and one DHT
 * node (no tracker, no {@code x.pe}, no peer address) finds our seeder through the DHT,
 * fetches the info dictionary from it over ut_metadata and downloads every file.
 */
class DhtSeederInteropTest {
    private static final int NODES = 3;
    @TempDir
    Path dir;
    private final List<ScriptProcess> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private ScriptProcess leecher;
    private DhtPeerSource dht;
    private FileStorageProvider storage;
    private NettyPeerTransport transport;
    private Engine engine;

    @BeforeEach
    void startDht() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(ScriptProcess.PYTHON)), "needs /usr/bin/python3 with python3-libtorrent");
        for (int i = 0; i < NODES; i++) {
            ScriptProcess n = ScriptProcess.start(dir.resolve("ltdht" + i + ".log"),
                    List.of(ScriptProcess.PYTHON, script("dht/ltdht.py"), "node"));
            nodes.add(n);
            ports.add(Integer.parseInt(n.await("DHTPORT ", 30).substring(8).trim()));
        }
        for (ScriptProcess n : nodes) {
            for (int p : ports) {
                n.send("ADD " + p);
            }
        }
    }

    @AfterEach
    void stop() {
        if (leecher != null) {
            leecher.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (dht != null) {
            dht.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (transport != null) {
            transport.close();
        }
        nodes.forEach(ScriptProcess::close);
    }

    private static String script(String name) throws URISyntaxException {
        return Path.of(DhtSeederInteropTest.class.getResource("/python/" + name).toURI()).toString();
    }

    @Test
    void aLibtorrentLeecherWithOnlyTheInfoHashFindsOurSeederThroughTheDhtAndDownloads() throws Exception {
        // Two files, 16 KiB pieces: 900 piece hashes make an info dictionary of two metadata pieces.
        Path root = dir.resolve("seed/payload");
        byte[] big = file(root.resolve("big.bin"), 10 * 1024 * 1024 + 4321, 21);
        byte[] small = file(root.resolve("sub/small.bin"), 4 * 1024 * 1024 - 17, 22);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(root, 16 * 1024, List.of(), List.of(), false,
                null, 2), CreateProgress.NONE);
        String hex = meta.infoHash().hex();

        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
        storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve("state")));
        dht = new DhtPeerSource(DhtSettings.loopback().withBootstrap(List.of("127.0.0.1:" + ports.get(0))));
        engine = new Engine(transport);
        engine.useStorage(storage);
        engine.useStrategy(new NaiveStrategy(), "naive");
        engine.addSource(dht, "dht");
        TorrentHandle seed = engine.add(meta, AddOptions.in(dir.resolve("seed")));
        seed.completion().get(60, TimeUnit.SECONDS);
        String ours = "127.0.0.1:" + engine.listenPort();

        // Our announce_peer reached libtorrent: some node stored our listen port for the hash.
        assertNotNull(announcedTo(hex, ours, 60), "no libtorrent node received our announce of " + ours);

        leecher = ScriptProcess.start(dir.resolve("ltleecher.log"),
                List.of(ScriptProcess.PYTHON, script("dht/ltdht.py"), "magnet", hex, dir.resolve("lt").toString()));
        leecher.await("DHTPORT ", 30);
        leecher.send("ADD " + ports.get(NODES - 1));
        leecher.send("GET");
        // libtorrent looks the hash up when the torrent starts; should its table still be empty
        // then, forced announces look again until it meets our seeder.
        String met = "PEER " + ours + " ";
        List<String> said = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long lookAgain = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!said.contains("DONE") && System.nanoTime() < deadline) {
            String line = leecher.poll("", 1);
            if (line != null) {
                said.add(line);
            }
            if (said.stream().noneMatch(l -> l.startsWith(met)) && System.nanoTime() > lookAgain) {
                leecher.send("REANNOUNCE");
                lookAgain = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            }
        }
        assertTrue(said.contains(met + "dht=1 out=1"), "the libtorrent leecher did not dial our seeder " + ours
                + " from a DHT reply; it said " + said + "; log " + leecher.log());
        assertTrue(said.contains("METADATA"), "no metadata: " + said);
        assertTrue(said.contains("DONE"), "not done within 180 s: " + said);
        assertArrayEquals(big, Files.readAllBytes(dir.resolve("lt/payload/big.bin")));
        assertArrayEquals(small, Files.readAllBytes(dir.resolve("lt/payload/sub/small.bin")));
    }

    private static byte[] file(Path path, int size, long seed) throws Exception {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        Files.createDirectories(path.getParent());
        Files.write(path, content);
        return content;
    }

    /** The first ANNOUNCED line for {@code hex} from {@code peer} that any libtorrent node prints, or null. */
    private String announcedTo(String hex, String peer, int seconds) throws Exception {
        String wanted = "ANNOUNCED " + hex + " " + peer;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (ScriptProcess n : nodes) {
                String line = n.poll(wanted, 1);
                if (line != null) {
                    return line;
                }
            }
        }
        return null;
    }
}
