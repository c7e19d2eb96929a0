package io.piecework.metainfo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service gives the same results as the library it publishes. */
class MetainfoComponentTest {
    private final MetainfoService service = new MetainfoComponent();

    @Test
    void createWriteReadAndMagnetAgreeThroughTheService(@TempDir Path dir) throws Exception {
        Path data = Files.write(dir.resolve("data"), new byte[70_000]);
        TorrentMetainfo created = service.create(new CreateRequest(data, 0, List.of("udp://127.0.0.1:6969"),
                List.of(), false, null, 2), CreateProgress.NONE);
        Path file = Files.write(dir.resolve("data.torrent"), service.encode(created));
        TorrentMetainfo read = service.read(file);
        assertEquals(created.infoHash(), read.infoHash());
        assertArrayEquals(created.infoBytes(), service.parse(Files.readAllBytes(file)).infoBytes());
        MagnetLink magnet = service.magnetOf(read);
        assertEquals(magnet, service.parseMagnet(service.magnetUri(magnet)));
        assertEquals(List.of("udp://127.0.0.1:6969"), magnet.trackers());
    }

    @Test
    void invalidInputIsReportedAsInvalidTorrent() {
        assertThrows(InvalidTorrentException.class, () -> service.parse(new byte[] {'x'}));
        assertThrows(InvalidTorrentException.class, () -> service.parseMagnet("magnet:?dn=x"));
    }
}
