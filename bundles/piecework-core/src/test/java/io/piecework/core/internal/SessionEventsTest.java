package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a persistent session needs from the engine without being called by its clients: an
 * event when a torrent joins or leaves (once, whoever adds it), and on each handle the folder
 * and, for a magnet whose metadata is unknown, the link it was added by.
 */
class SessionEventsTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    @Test
    void addingAndRemovingATorrentOrAMagnetEmitsAddedAndRemovedOnce() throws Exception {
        Path data = dir.resolve("data/x.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, new byte[50_000]);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 16 * 1024, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
        Engine engine = engines.engine("engine");
        List<TorrentEvent> heard = new CopyOnWriteArrayList<>();
        engine.addListener(e -> {
            if (e.kind() == TorrentEvent.Kind.ADDED || e.kind() == TorrentEvent.Kind.REMOVED) {
                heard.add(e);
            }
        });

        TorrentHandle torrent = engine.add(meta, new AddOptions(dir.resolve("data"), true, List.of()));
        engine.add(meta, AddOptions.in(dir.resolve("data"))); // already there: no second ADDED
        assertEquals(dir.resolve("data"), torrent.downloadDir());
        assertTrue(torrent.magnet().isEmpty(), "added from a .torrent");
        var link = MagnetLinks.parse("magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=m");
        TorrentHandle magnet = engine.add(link, new AddOptions(dir.resolve("m"), true, List.of()));
        assertEquals(link, magnet.magnet().orElseThrow());
        assertEquals(dir.resolve("m"), magnet.downloadDir());

        torrent.remove(false).get(10, TimeUnit.SECONDS);
        magnet.remove(false).get(10, TimeUnit.SECONDS);
        magnet.remove(false).get(10, TimeUnit.SECONDS); // gone already: no second REMOVED

        assertEquals(List.of(TorrentEvent.Kind.ADDED, TorrentEvent.Kind.ADDED, TorrentEvent.Kind.REMOVED,
                TorrentEvent.Kind.REMOVED), heard.stream().map(TorrentEvent::kind).toList());
        assertEquals(List.of(meta.infoHash(), link.infoHash(), meta.infoHash(), link.infoHash()),
                heard.stream().map(TorrentEvent::infoHash).toList());
    }
}
