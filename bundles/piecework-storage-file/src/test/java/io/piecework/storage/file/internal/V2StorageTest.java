package io.piecework.storage.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.api.metainfo.V2Files;
import io.piecework.api.storage.TorrentStorage;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.TorrentCreator;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v2-only torrents (BEP 52): pieces verify by Merkle trees, each file starting a piece. */
class V2StorageTest extends StorageFixture {
    /** libtorrent 2.0.8's files: byte i of file p is (31 i + length of p's path) mod 251. */
    private static final List<String> LIBTORRENT_FILES = List.of("a.bin", "b/c.bin", "d.txt", "e.bin", "empty");
    private static final int[] LIBTORRENT_LENGTHS = {40000, 70000, 5, 65536, 0};

    @TempDir
    Path dir;

    private static TorrentMetainfo libtorrentTorrent() throws Exception {
        // Made by lt.create_torrent(fs, 32768, flags=v2_only) over the files above, folder "v2vec".
        try (InputStream in = V2StorageTest.class.getResourceAsStream("libtorrent-v2-32k.torrent")) {
            return MetainfoParser.parse(in.readAllBytes());
        }
    }

    private static byte[] libtorrentContent(String path, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ((i * 31L + path.length()) % 251);
        }
        return bytes;
    }

    private void writeLibtorrentFiles(Path folder) throws Exception {
        for (int f = 0; f < LIBTORRENT_FILES.size(); f++) {
            Path file = folder.resolve(LIBTORRENT_FILES.get(f));
            Files.createDirectories(file.getParent());
            Files.write(file, libtorrentContent(LIBTORRENT_FILES.get(f), LIBTORRENT_LENGTHS[f]));
        }
    }

    @Test
    void verifiesLibtorrentsV2PiecesOnDiskAndRefusesACorruptOne() throws Exception {
        TorrentMetainfo meta = libtorrentTorrent();
        assertEquals(TorrentVersion.V2, meta.version());
        assertEquals(8, meta.pieceCount(), "libtorrent's num_pieces()");
        writeLibtorrentFiles(dir.resolve("v2vec"));
        TorrentStorage storage = await(provider(Settings.DEFAULTS, Disk.REAL).open(meta, dir));
        waitFor(() -> storage.completedCount() == 8, "all 8 pieces found complete on open");
        verifyAll(storage);

        // One byte of c.bin's second piece (torrent piece 3: a.bin has 2, c.bin starts at 65536).
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("v2vec/b/c.bin").toFile(), "rw")) {
            raf.seek(40_000);
            raf.write(raf.read() ^ 1);
        }
        assertFalse(await(storage.verify(3)), "corrupt piece of a file with a piece layer");
        assertTrue(await(storage.verify(2)), "the file's other pieces still verify");
        assertTrue(await(storage.verify(4)), "its last, short piece");
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("v2vec/d.txt").toFile(), "rw")) {
            raf.write('x');
        }
        assertFalse(await(storage.verify(5)), "a file of one piece checks against its pieces root");
        assertEquals(6, storage.completedCount());
    }

    @Test
    void downloadsAV2TorrentBlockByBlockWithPadsNeverWritten() throws Exception {
        Path source = dir.resolve("src/share");
        Random random = new Random(52);
        int[] lengths = {100_000, 16_385, 1, 49_152, 3};
        byte[][] content = new byte[lengths.length][];
        for (int f = 0; f < lengths.length; f++) {
            content[f] = new byte[lengths[f]];
            random.nextBytes(content[f]);
            Files.createDirectories(source);
            Files.write(source.resolve("f" + f), content[f]);
        }
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(source, 32768, List.of(), List.of(), false,
                null, 1, TorrentVersion.V2), (done, total) -> { });
        Path target = dir.resolve("dl");
        TorrentStorage storage = await(provider(Settings.DEFAULTS, Disk.REAL).open(meta, target));
        assertEquals(0, storage.completedCount());
        // The whole torrent's bytes: each file at its offset, pads as zeros.
        byte[] all = new byte[(int) meta.totalSize()];
        int f = 0;
        for (FileEntry e : meta.files()) {
            if (!e.padding()) {
                System.arraycopy(content[f++], 0, all, (int) e.offset(), (int) e.length());
            }
        }
        for (int piece = 0; piece < meta.pieceCount(); piece++) {
            int start = piece * 32768;
            int size = (int) meta.pieceSize(piece);
            for (int at = 0; at < size; at += BLOCK) {
                storage.write(piece, at, ByteBuffer.wrap(all, start + at, Math.min(BLOCK, size - at)));
            }
            assertTrue(await(storage.verify(piece)), "piece " + piece);
        }
        assertEquals(meta.pieceCount(), storage.completedCount());
        for (int i = 0; i < lengths.length; i++) {
            assertArrayEquals(content[i], Files.readAllBytes(target.resolve("share/f" + i)), "file " + i);
        }
        try (var listing = Files.list(target.resolve("share"))) {
            assertEquals(lengths.length, listing.count(), "no pad file on disk");
        }
        storage.close();

        // Reopened: the resume record vouches for the v2 pieces; changed data is hashed again by v2.
        TorrentStorage again = await(provider(Settings.DEFAULTS, Disk.REAL).open(meta, target));
        assertEquals(meta.pieceCount(), again.completedCount());
        again.close();
        try (RandomAccessFile raf = new RandomAccessFile(target.resolve("share/f0").toFile(), "rw")) {
            raf.write(content[0][0] ^ 1);
        }
        TorrentStorage third = await(provider(Settings.DEFAULTS, Disk.REAL).open(meta, target));
        waitFor(() -> third.completedCount() == meta.pieceCount() - 1, "all but f0's first piece");
        assertFalse(await(third.verify(0)));
    }

    @Test
    void piecesOfAFileWhoseLayerArrivesLaterVerifyOnlyOnceItIsGivenAndChecked() throws Exception {
        TorrentMetainfo full = libtorrentTorrent();
        V2Files v2 = full.v2Files().orElseThrow();
        List<byte[]> noLayers = new ArrayList<>();
        v2.layers().forEach(l -> noLayers.add(null));
        // As a magnet's metadata would be: roots, no layers.
        TorrentMetainfo meta = new TorrentMetainfo(full.version(), full.infoHash(),
                new V2Files(v2.infoHash(), v2.roots(), noLayers), full.name(), full.pieceLength(), new byte[0],
                full.files(), full.multiFile(), full.trackerTiers(), full.webSeeds(), false, null, null, null,
                full.infoBytes());
        writeLibtorrentFiles(dir.resolve("v2vec"));
        TorrentStorage storage = await(provider(Settings.DEFAULTS, Disk.REAL).open(meta, dir));
        assertFalse(await(storage.verify(0)), "a.bin has two pieces and no layer yet");
        assertTrue(await(storage.verify(5)), "d.txt, one piece, checks against its root");
        byte[] layer = new byte[v2.layer(0).remaining()];
        v2.layer(0).get(layer);
        byte[] wrong = layer.clone();
        wrong[0] ^= 1;
        assertFalse(storage.addPieceLayer(0, wrong), "does not hash to the pieces root");
        assertFalse(storage.addPieceLayer(1, layer), "a pad file has no layer");
        assertTrue(storage.addPieceLayer(0, layer));
        assertTrue(await(storage.verify(0)));
        assertTrue(await(storage.verify(1)));
    }
}
