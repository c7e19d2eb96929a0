package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 magnets between two engines on loopback: a btmh-only link of a v2-only torrent (its
 * piece layers fetched by hash requests before any piece can verify), of a hybrid (verified by
 * its v1 hashes), and a link with both hashes. Files are not piece-aligned.
 */
class V2MagnetLoopbackTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);
    Engine leecher;

    private TorrentMetainfo payload(TorrentVersion version) throws Exception {
        Path root = dir.resolve("seed/album");
        Random random = new Random(8);
        int[] sizes = {40 * 16384 + 1234, 3 * 16384 + 1, 77};
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[sizes[i]];
            random.nextBytes(b);
            Path f = root.resolve("part-" + i + ".bin");
            Files.createDirectories(f.getParent());
            Files.write(f, b);
        }
        return TorrentCreator.create(new CreateRequest(root, 16384, List.of(), List.of(), false, null, 1, version),
                CreateProgress.NONE);
    }

    private TorrentHandle fetch(TorrentMetainfo meta, String xt) throws Exception {
        Engine seeder = engines.engine("seeder");
        seeder.add(meta, AddOptions.in(dir.resolve("seed"))).completion().get(30, TimeUnit.SECONDS);
        leecher = engines.engine("leecher");
        TorrentHandle t = leecher.add(MagnetLinks.parse("magnet:?" + xt + "&x.pe=127.0.0.1:" + seeder.listenPort()),
                AddOptions.in(dir.resolve("down")));
        t.completion().get(60, TimeUnit.SECONDS);
        for (FileEntry f : meta.files()) {
            if (!f.padding()) {
                Path rel = Path.of("album", f.path().toArray(String[]::new));
                assertArrayEquals(Files.readAllBytes(dir.resolve("seed").resolve(rel)),
                        Files.readAllBytes(dir.resolve("down").resolve(rel)), rel.toString());
            }
        }
        return t;
    }

    private static String btmh(TorrentMetainfo meta) {
        return "xt=urn:btmh:1220" + meta.infoHashV2().orElseThrow().hex();
    }

    @Test
    void aBtmhOnlyMagnetOfAV2OnlyTorrentFetchesItsPieceLayersAndDownloads() throws Exception {
        TorrentMetainfo meta = payload(TorrentVersion.V2);
        TorrentHandle t = fetch(meta, btmh(meta));
        assertEquals(TorrentVersion.V2, t.metainfo().version());
        assertEquals(meta.pieceCount(), t.stats().piecesVerified());
        // The saved .torrent (and so the session's copy) holds the layers: a restart asks no peer.
        TorrentMetainfo saved = MetainfoParser.read(dir.resolve("down/album.torrent"));
        for (int i = 0; i < saved.files().size(); i++) {
            FileEntry f = saved.files().get(i);
            if (!f.padding() && f.length() > saved.pieceLength()) {
                assertNotNull(saved.v2Files().orElseThrow().layer(i), "layer of " + f.path());
                assertNotNull(t.metainfo().v2Files().orElseThrow().layer(i), "the session saves this metainfo");
            }
        }
        assertEquals(meta.infoHashV2(), saved.infoHashV2());
    }

    @Test
    void aBtmhOnlyMagnetOfAHybridDownloadsAndVerifiesByItsV1Hashes() throws Exception {
        TorrentMetainfo meta = payload(TorrentVersion.HYBRID);
        TorrentHandle t = fetch(meta, btmh(meta));
        assertEquals(TorrentVersion.HYBRID, t.metainfo().version());
        assertEquals(meta.infoHash(), t.metainfo().infoHash());
        assertTrue(leecher.find(meta.infoHash()).isPresent(), "the engine knows it by its v1 hash once it is a hybrid");
        assertTrue(Files.isRegularFile(dir.resolve("down/album.torrent")));
    }

    @Test
    void aMagnetWithBothHashesOfAHybridDownloads() throws Exception {
        TorrentMetainfo meta = payload(TorrentVersion.HYBRID);
        TorrentHandle t = fetch(meta, "xt=urn:btih:" + meta.infoHash().hex() + "&" + btmh(meta));
        assertEquals(TorrentVersion.HYBRID, t.metainfo().version());
    }
}
