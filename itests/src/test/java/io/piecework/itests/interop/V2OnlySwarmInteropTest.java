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
 * A v2-only torrent (BEP 52) made by libtorrent 2.0.8 moves between libtorrent and Piecework,
 * both ways, files byte for byte: the peers meet under the truncated v2 info-hash, Piecework
 * verifies each piece by its Merkle tree against the torrent's piece layers, and the virtual
 * pads that start each file on a piece are neither written nor asked for as data.
 */
class V2OnlySwarmInteropTest {
    @TempDir
    Path dir;
    LibtorrentSwarm swarm;

    @BeforeEach
    void v2OnlyByLibtorrent() throws Exception {
        swarm = LibtorrentSwarm.create(dir, "v2.torrent", "--v2");
        assertEquals(TorrentVersion.V2, swarm.meta.version());
        assertFalse(swarm.meta.files().stream().noneMatch(FileEntry::padding), "files start pieces: pads between");
    }

    @Test
    void pieceworkDownloadsAV2OnlyTorrentFromALibtorrentSeeder() throws Exception {
        swarm.pieceworkDownloadsFromLibtorrent();
    }

    @Test
    void libtorrentDownloadsAV2OnlyTorrentFromAPieceworkSeeder() throws Exception {
        swarm.libtorrentDownloadsFromPiecework();
    }
}
