package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid torrent made by libtorrent 2.0.8 (its default kind) moves between libtorrent and
 * Piecework over the v1 swarm, both ways, files byte for byte: the pad files that align the
 * hybrid's v1 half are neither written nor asked for as data.
 */
class HybridSwarmInteropTest {
    @TempDir
    Path dir;
    LibtorrentSwarm swarm;

    @BeforeEach
    void hybridByLibtorrent() throws Exception {
        swarm = LibtorrentSwarm.create(dir, "hybrid.torrent", "--hybrid");
        assertEquals(TorrentVersion.HYBRID, swarm.meta.version());
        assertFalse(swarm.meta.files().stream().noneMatch(FileEntry::padding), "libtorrent padded the v1 half");
    }

    @Test
    void pieceworkDownloadsAHybridFromALibtorrentSeeder() throws Exception {
        swarm.pieceworkDownloadsFromLibtorrent();
    }

    @Test
    void libtorrentDownloadsAHybridFromAPieceworkSeeder() throws Exception {
        swarm.libtorrentDownloadsFromPiecework();
    }
}
