package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.itests.support.Conditions;
import io.piecework.metainfo.MetainfoParser;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 in a v2 swarm, for a v2-only and for a hybrid torrent: a libtorrent 2.0.8 seeder with one 16 KiB block corrupted on disk
 * after its check (libtorrent does not check a seed again, so it sends the bad block) is
 * identified by that block alone. Piecework asks it for the failed piece's block hashes, proves
 * them against the piece hash, finds the one block that differs and bans its sender at the
 * first failure; a good libtorrent seeder then completes the download, not blamed. (Without block
 * hashes the seeder, the piece's only sender, would be banned at its second failure.) The hybrid
 * is dialled with its v1 hash and the v2 bit, and libtorrent upgrades the connection to v2, the
 * only kind on which it answers hash requests.
 */
class CorruptBlockInteropTest {
    private static final int PIECE = 64 * 1024;
    /** Piece 5, block 2: inside the file, not its last piece. */
    private static final long CORRUPT_AT = 5L * PIECE + 2 * 16384 + 100;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--v2", "--hybrid"})
    void aSeederSendingOneCorruptBlockIsBannedByThatBlockAlone(String kind) throws Exception {
        Path good = dir.resolve("good");
        Path payload = good.resolve("payload.bin");
        Payloads.file(payload, 3 * 1024 * 1024 + 12_345, 31);
        Path torrentFile = dir.resolve("v2.torrent");
        Libtorrent.run(Libtorrent.script("lt_meta.py", dir), 60, "create", payload.toString(),
                torrentFile.toString(), Integer.toString(PIECE), kind);
        TorrentMetainfo meta = MetainfoParser.read(torrentFile);
        assertEquals(kind.equals("--hybrid") ? TorrentVersion.HYBRID : TorrentVersion.V2, meta.version());
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.copy(payload, bad.resolve("payload.bin"));
        Path node = Libtorrent.script("lt_node.py", dir);

        try (LibtorrentNode corrupt = new LibtorrentNode(node, "seed", torrentFile, bad);
             LibtorrentNode honest = new LibtorrentNode(node, "seed", torrentFile, good);
             InProcessEngine leecher = new InProcessEngine(dir.resolve("state"))) {
            // Checked and seeding: now one block goes bad under it.
            try (RandomAccessFile f = new RandomAccessFile(bad.resolve("payload.bin").toFile(), "rw")) {
                f.seek(CORRUPT_AT);
                int b = f.read();
                f.seek(CORRUPT_AT);
                f.write(b ^ 0xff);
            }
            // The corrupt seeder alone first, so the bad block is surely its.
            TorrentHandle t = leecher.engine.add(meta, AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(corrupt.port))));
            Conditions.within(120_000, () -> t.stats().bannedPeers() > 0 || t.completion().isDone());
            TorrentStats afterBan = t.stats();
            assertEquals(1, afterBan.bannedPeers(), "the corrupting seeder is banned: " + afterBan);
            assertEquals(1, afterBan.hashFailures(), "at its first failed piece, by the block: " + afterBan);

            honest.connect(leecher.port());
            t.completion().get(240, TimeUnit.SECONDS);
            TorrentStats end = t.stats();
            assertEquals(1, end.bannedPeers(), "the honest seeder is not banned");
            assertEquals(1, end.hashFailures());
        }
        assertEquals(-1L, Files.mismatch(payload, dir.resolve("down").resolve("payload.bin")));
    }
}
