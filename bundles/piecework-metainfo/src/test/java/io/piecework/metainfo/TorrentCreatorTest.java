package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.Bencode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentCreatorTest {
    private static final int K16 = 16 << 10;
    @TempDir
    Path dir;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static CreateRequest request(Path source, long pieceLength, int threads) {
        return new CreateRequest(source, pieceLength, List.of(), List.of(), false, null, threads);
    }

    /** The expected piece hashes, computed the plain way over the concatenated data. */
    private static byte[] expectedPieces(byte[] data, int pieceLength) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < data.length; off += pieceLength) {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(data, off, Math.min(pieceLength, data.length - off));
            out.write(md.digest());
        }
        return out.toByteArray();
    }

    private static byte[] pieces(TorrentMetainfo m) {
        byte[] b = new byte[m.pieceHashes().remaining()];
        m.pieceHashes().get(b);
        return b;
    }

    @Test
    void createsSingleFileTorrentWithCorrectHashesAndFields() throws Exception {
        byte[] data = random(100_000, 1);
        Path file = Files.write(dir.resolve("data.bin"), data);
        CreateRequest req = new CreateRequest(file, K16, List.of("udp://a:1", "http://b/announce"),
                List.of("http://seed/data.bin"), true, "made in a test", 2);
        TorrentMetainfo m = TorrentCreator.create(req, CreateProgress.NONE);
        assertEquals("data.bin", m.name());
        assertEquals(List.of(new FileEntry(List.of("data.bin"), 100_000, 0, false)), m.files());
        assertArrayEquals(expectedPieces(data, K16), pieces(m));
        assertEquals(List.of(List.of("udp://a:1"), List.of("http://b/announce")), m.trackerTiers());
        assertEquals(List.of("http://seed/data.bin"), m.webSeeds());
        assertTrue(m.isPrivate());
        assertEquals("made in a test", m.comment().orElseThrow());
        assertEquals(TorrentCreator.CREATED_BY, m.createdBy().orElseThrow());
        assertTrue(m.creationDate().orElseThrow() > 1_600_000_000L);
        assertEquals("udp://a:1", ((BDictionary) Bencode.decode(MetainfoWriter.write(m))).string("announce")
                .orElseThrow().utf8());
    }

    @Test
    void infoBytesAreTheCanonicalEncodingOfTheInfoDictionary() throws Exception {
        Path file = Files.write(dir.resolve("f"), random(5000, 2));
        TorrentMetainfo m = TorrentCreator.create(CreateRequest.of(file), CreateProgress.NONE);
        byte[] info = m.infoBytes();
        assertArrayEquals(Bencode.encode(Bencode.decode(info)), info);
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(info), m.infoHash().bytes());
        BDictionary d = (BDictionary) Bencode.decode(info);
        assertEquals(List.of("length", "name", "piece length", "pieces"), List.copyOf(d.entries().keySet()));
    }

    @Test
    void folderWithNestedDirsEmptyAndHiddenFilesHashesAcrossFileBoundaries() throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Files.createDirectories(root.resolve("b/deep"));
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("empty-dir"));
        byte[] x = random(20_000, 3);
        byte[] y = random(7, 4);
        byte[] z = random(40_001, 5);
        byte[] h = random(123, 6);
        Files.write(root.resolve("b/deep/z.bin"), z);
        Files.write(root.resolve("a/y.bin"), y);
        Files.write(root.resolve("a/empty"), new byte[0]);
        Files.write(root.resolve("x.bin"), x);
        Files.write(root.resolve(".hidden"), h);
        TorrentMetainfo m = TorrentCreator.create(request(root, K16, 3), CreateProgress.NONE);
        assertTrue(m.multiFile());
        assertEquals("root", m.name());
        assertEquals(List.of(List.of(".hidden"), List.of("a", "empty"), List.of("a", "y.bin"),
                List.of("b", "deep", "z.bin"), List.of("x.bin")), m.files().stream().map(FileEntry::path).toList());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : List.of(h, y, z, x)) {
            all.write(part);
        }
        assertArrayEquals(expectedPieces(all.toByteArray(), K16), pieces(m));
    }

    @Test
    void folderOrderIsByUtf8BytesOfEachComponent() throws Exception {
        Path root = Files.createDirectory(dir.resolve("r"));
        // Byte order: "B" < "a" < "a-b" < "a/..." is decided per component, "é" (0xC3) after "z".
        for (String p : List.of("z", "é", "B", "a-b", "a/c")) {
            Path f = root.resolve(p);
            Files.createDirectories(f.getParent());
            Files.write(f, new byte[] {1});
        }
        TorrentMetainfo m = TorrentCreator.create(request(root, K16, 1), CreateProgress.NONE);
        assertEquals(List.of("B", "a/c", "a-b", "z", "é"), m.files().stream().map(FileEntry::displayPath).toList());
        TorrentMetainfo again = TorrentCreator.create(request(root, K16, 4), CreateProgress.NONE);
        assertArrayEquals(m.infoBytes(), again.infoBytes());
    }

    @Test
    void symlinksInsideAFolderAreSkipped() throws Exception {
        Path root = Files.createDirectory(dir.resolve("r"));
        Path outside = Files.write(dir.resolve("secret"), random(10, 7));
        Files.write(root.resolve("real"), random(10, 8));
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("loop"), root);
        TorrentMetainfo m = TorrentCreator.create(request(root, K16, 1), CreateProgress.NONE);
        assertEquals(List.of("real"), m.files().stream().map(FileEntry::displayPath).toList());
    }

    @Test
    void progressIsMonotonicAndReachesTheTotal() throws Exception {
        byte[] data = random(1_000_000, 9);
        Path file = Files.write(dir.resolve("p"), data);
        List<long[]> calls = new ArrayList<>();
        AtomicLong last = new AtomicLong();
        long start = System.nanoTime();
        TorrentCreator.create(request(file, K16, 4), (done, total) -> {
            synchronized (calls) {
                calls.add(new long[] {done, total});
            }
            assertTrue(done > last.getAndSet(done), "progress went backwards");
        });
        long[] end = calls.get(calls.size() - 1);
        assertEquals(1_000_000, end[0]);
        assertEquals(1_000_000, end[1]);
        // At most one report per 100 ms (the first comes at once) plus the final one.
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(calls.size() <= 2 + elapsedMillis / 100, calls.size() + " reports in " + elapsedMillis + " ms");
    }

    @Test
    void moreThreadsThanPiecesStillHashesEveryPieceOnce() throws Exception {
        byte[] data = random(K16 * 2 + 1, 10);
        Path file = Files.write(dir.resolve("t"), data);
        TorrentMetainfo m = TorrentCreator.create(request(file, K16, 16), CreateProgress.NONE);
        assertEquals(3, m.pieceCount());
        assertArrayEquals(expectedPieces(data, K16), pieces(m));
    }

    @Test
    void pieceLengthLargerThanTheReadBufferIsHashedInChunks() throws Exception {
        byte[] data = random(3 << 20, 11);
        Path file = Files.write(dir.resolve("big"), data);
        TorrentMetainfo m = TorrentCreator.create(request(file, 2 << 20, 2), CreateProgress.NONE);
        assertArrayEquals(expectedPieces(data, 2 << 20), pieces(m));
    }

    @Test
    void automaticPieceLengthAimsAtOneToTwoThousandPieces() {
        assertEquals(K16, TorrentCreator.autoPieceLength(1));
        assertEquals(K16, TorrentCreator.autoPieceLength(2000L * K16));
        assertEquals(2 * K16, TorrentCreator.autoPieceLength(2000L * K16 + 1));
        assertEquals(1 << 20, TorrentCreator.autoPieceLength(1L << 30)); // 1 GiB -> 1 MiB, 1024 pieces
        assertEquals(16 << 20, TorrentCreator.autoPieceLength(1L << 40)); // capped at 16 MiB
        for (long size = 40L << 20; size < 30L << 30; size = size * 3 / 2) {
            long pieces = (size + TorrentCreator.autoPieceLength(size) - 1) / TorrentCreator.autoPieceLength(size);
            assertTrue(pieces > 1000 && pieces <= 2000, size + " bytes -> " + pieces + " pieces");
        }
    }

    @Test
    void automaticPieceLengthIsUsedWhenZeroIsAsked() throws Exception {
        Path file = Files.write(dir.resolve("a"), random(50_000, 12));
        assertEquals(K16, TorrentCreator.create(CreateRequest.of(file), CreateProgress.NONE).pieceLength());
    }

    @Test
    void chosenPieceLengthMustBeAPowerOfTwoOfAtLeast16KiB() throws Exception {
        Path file = Files.write(dir.resolve("a"), random(10, 13));
        for (long bad : new long[] {1000, 8192, 3 * K16, -K16, 1L << 30}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TorrentCreator.create(request(file, bad, 1), CreateProgress.NONE));
            assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        }
    }

    @Test
    void zeroByteFileOnlyIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("zero"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> TorrentCreator.create(CreateRequest.of(file),
                CreateProgress.NONE));
        assertTrue(e.getMessage().contains("holds no data"), e.getMessage());
    }

    @Test
    void emptyFolderIsRefused() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty/sub"));
        IOException e = assertThrows(IOException.class, () -> TorrentCreator.create(CreateRequest.of(empty.getParent()),
                CreateProgress.NONE));
        assertTrue(e.getMessage().contains("no regular files"), e.getMessage());
    }

    @Test
    void missingSourceIsRefused() {
        assertThrows(IOException.class, () -> TorrentCreator.create(CreateRequest.of(dir.resolve("nope")),
                CreateProgress.NONE));
    }

    @Test
    void fileNamesThatTheParserWouldRefuseFailCreation() throws Exception {
        Path root = Files.createDirectory(dir.resolve("r"));
        Files.write(root.resolve("back\\slash"), random(10, 16));
        IOException e = assertThrows(IOException.class,
                () -> TorrentCreator.create(request(root, K16, 1), CreateProgress.NONE));
        assertTrue(e.getMessage().contains("separator"), e.getMessage());
    }

    @Test
    void hashesMatchForManySmallFilesAndManyThreads() throws Exception {
        Path root = Files.createDirectory(dir.resolve("many"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            byte[] b = random(i * 97 % 3000, i);
            Files.write(root.resolve(String.format("f%03d", i)), b);
            all.write(b);
        }
        TorrentMetainfo m = TorrentCreator.create(request(root, K16, 7), CreateProgress.NONE);
        assertArrayEquals(expectedPieces(all.toByteArray(), K16), pieces(m));
        assertEquals(Arrays.stream(new int[200]).count(), m.files().size());
    }
}
