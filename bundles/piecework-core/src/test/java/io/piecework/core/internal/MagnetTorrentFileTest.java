package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a magnet's fetched metadata is saved: NAME comes from a peer, so the file must not
 * replace one the user has, nor be written through a link planted in the download folder.
 */
class MagnetTorrentFileTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    private TorrentMetainfo seeded(Engine seeder) throws Exception {
        Path data = dir.resolve("seed/x.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, new byte[100_000]);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 16 * 1024, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
        seeder.add(meta, AddOptions.in(dir.resolve("seed"))).completion().get(30, TimeUnit.SECONDS);
        return meta;
    }

    @Test
    void keepsAnExistingTorrentFileAndWritesNothingThroughALinkAtTheTemporaryName() throws Exception {
        Engine seeder = engines.engine("seeder");
        TorrentMetainfo meta = seeded(seeder);
        Path down = Files.createDirectories(dir.resolve("down"));
        Path victim = Files.write(Files.createDirectories(dir.resolve("outside")).resolve("victim"), "keep".getBytes());
        Files.write(down.resolve("x.bin.torrent"), "mine".getBytes());
        Files.createSymbolicLink(down.resolve("x.bin.torrent.part"), victim);

        engines.engine("leecher").add(MagnetLinks.parse("magnet:?xt=urn:btih:" + meta.infoHash().hex()
                + "&x.pe=127.0.0.1:" + seeder.listenPort()), AddOptions.in(down)).completion().get(60, TimeUnit.SECONDS);

        assertArrayEquals("keep".getBytes(), Files.readAllBytes(victim), "nothing written through the link");
        assertArrayEquals("mine".getBytes(), Files.readAllBytes(down.resolve("x.bin.torrent")), "the user's file kept");
        Path saved = down.resolve("x.bin." + meta.infoHash().hex().substring(0, 8) + ".torrent");
        assertEquals(meta.infoHash(), MetainfoParser.read(saved).infoHash(), "saved beside it under another name");
    }

    @Test
    void keepsAnIdenticalTorrentFileAsItIs() throws Exception {
        Engine seeder = engines.engine("seeder");
        TorrentMetainfo meta = seeded(seeder);
        Path down = Files.createDirectories(dir.resolve("down"));
        engines.engine("first").add(MagnetLinks.parse("magnet:?xt=urn:btih:" + meta.infoHash().hex()
                + "&x.pe=127.0.0.1:" + seeder.listenPort()), AddOptions.in(down)).completion().get(60, TimeUnit.SECONDS);
        byte[] first = Files.readAllBytes(down.resolve("x.bin.torrent"));
        engines.engine("second").add(MagnetLinks.parse("magnet:?xt=urn:btih:" + meta.infoHash().hex()
                + "&x.pe=127.0.0.1:" + seeder.listenPort()), AddOptions.in(down)).completion().get(60, TimeUnit.SECONDS);
        assertArrayEquals(first, Files.readAllBytes(down.resolve("x.bin.torrent")));
        try (var files = Files.list(down)) {
            assertEquals(List.of(down.resolve("x.bin"), down.resolve("x.bin.torrent")), files.sorted().toList());
        }
    }
}
