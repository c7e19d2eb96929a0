package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Merkle proofs against libtorrent 2.0.8: libtorrent-hash-messages.txt holds hash requests sent
 * to a libtorrent seed and its answers (the file's bytes are a formula, so the test rebuilds it).
 */
class FileMerkleTreeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int PIECE = 32768;
    private static final byte[] DATA = new byte[200000];
    private static final byte[] ROOT = HEX.parseHex("04a3efb8ed1f2c876733bca6ae9b31194366da58ee16167df6b8e190dc987ec7");

    static {
        for (int i = 0; i < DATA.length; i++) {
            DATA[i] = (byte) (i * 7 + (i >> 9));
        }
    }

    /** libtorrent's answers: the hashes after the 53-byte header of each 'hashes' message. */
    private static List<byte[]> answers() throws IOException {
        try (InputStream in = FileMerkleTreeTest.class.getResourceAsStream("libtorrent-hash-messages.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).skip(4)
                    .map(l -> Arrays.copyOfRange(HEX.parseHex(l), 53, HEX.parseHex(l).length)).toList();
        }
    }

    private static byte[] leaves(int piece) {
        int from = piece * PIECE;
        return FileMerkleTree.leafHashes(ByteBuffer.wrap(DATA, from, Math.min(PIECE, DATA.length - from)));
    }

    private static byte[] layer() {
        FileMerkleTree bare = new FileMerkleTree(DATA.length, PIECE, ROOT, null);
        byte[] layer = new byte[7 * 32];
        for (int p = 0; p < 7; p++) {
            System.arraycopy(bare.pieceHashFromLeaves(leaves(p)), 0, layer, p * 32, 32);
        }
        return layer;
    }

    private static final FileMerkleTree.LeafSource HAVE_ALL = FileMerkleTreeTest::leaves;

    @Test
    void shapeOfTheLibtorrentFile() {
        FileMerkleTree t = new FileMerkleTree(DATA.length, PIECE, ROOT, layer());
        assertEquals(4, t.height(), "13 blocks pad to 16 leaves");
        assertEquals(1, t.pieceLayer());
        assertEquals(7, t.pieceCount());
        assertArrayEquals(new int[] {1, 0, 8, 2}, t.pieceLayerRequest(0));
        assertArrayEquals(new int[] {0, 6, 2, 0}, t.blockRequest(3));
    }

    @Test
    void answersAsLibtorrentDoes() throws IOException {
        List<byte[]> lt = answers();
        FileMerkleTree seed = new FileMerkleTree(DATA.length, PIECE, ROOT, layer());
        assertEquals(HEX.formatHex(lt.get(0)), HEX.formatHex(seed.answer(1, 0, 8, 2, HAVE_ALL)), "piece layer + pad");
        assertEquals(HEX.formatHex(lt.get(1)), HEX.formatHex(seed.answer(0, 2, 2, 3, HAVE_ALL)), "leaves + 3 uncles");
        assertEquals(HEX.formatHex(lt.get(2)), HEX.formatHex(seed.answer(1, 0, 8, 0, HAVE_ALL)));
    }

    @Test
    void refusesWhatItCannotOrWillNotAnswer() throws IOException {
        FileMerkleTree seed = new FileMerkleTree(DATA.length, PIECE, ROOT, layer());
        assertNull(seed.answer(0, 0, 16, 3, HAVE_ALL), "leaves across pieces: libtorrent answers, we do not");
        assertNull(seed.answer(0, 2, 2, 3, p -> null), "leaves of a piece we lack");
        assertNull(new FileMerkleTree(DATA.length, PIECE, ROOT, null).answer(1, 0, 8, 2, HAVE_ALL), "no layer");
        assertNull(seed.answer(1, 8, 8, 0, HAVE_ALL), "beyond the layer's 8 nodes");
        assertNull(seed.answer(1, 0, 8, 3, HAVE_ALL), "proof above the root");
        assertNull(seed.answer(4, 0, 2, 0, HAVE_ALL), "the root's layer has no base hashes");
        assertNull(seed.answer(0, 0, 3, 0, HAVE_ALL), "length not a power of two");
    }

    @Test
    void verifiesLibtorrentsAnswersAgainstTheRootAlone() throws IOException {
        List<byte[]> lt = answers();
        FileMerkleTree magnet = new FileMerkleTree(DATA.length, PIECE, ROOT, null);
        byte[] layer = magnet.verify(1, 0, 8, 2, lt.get(0));
        assertNotNull(layer);
        assertArrayEquals(layer(), Arrays.copyOf(layer, 7 * 32), "the piece layer, padding after piece 6");
        assertArrayEquals(Arrays.copyOfRange(leaves(1), 0, 64), magnet.verify(0, 2, 2, 3, lt.get(1)));
        assertArrayEquals(layer, magnet.verify(1, 0, 8, 0, lt.get(2)), "8 hashes of layer 1 reach the root unaided");
    }

    @Test
    void rejectsHostileProofs() throws IOException {
        FileMerkleTree magnet = new FileMerkleTree(DATA.length, PIECE, ROOT, null);
        byte[] good = answers().get(1);
        for (int at : new int[] {0, 40, 2 * 32 + 5, 4 * 32 + 31}) { // a base hash, then each uncle
            byte[] bad = good.clone();
            bad[at] ^= 1;
            assertNull(magnet.verify(0, 2, 2, 3, bad), "flipped byte " + at);
        }
        byte[] swapped = good.clone();
        System.arraycopy(good, 2 * 32, swapped, 3 * 32, 32);
        System.arraycopy(good, 3 * 32, swapped, 2 * 32, 32);
        assertNull(magnet.verify(0, 2, 2, 3, swapped), "uncles out of order");
        assertNull(magnet.verify(0, 2, 2, 3, Arrays.copyOf(good, good.length - 32)), "an uncle short");
        assertNull(magnet.verify(0, 2, 2, 3, Arrays.copyOf(good, good.length + 32)), "an uncle too many");
        assertNull(magnet.verify(0, 0, 2, 3, good), "right hashes claimed for another index");
        assertNull(magnet.verify(0, 2, 2, 2, Arrays.copyOf(good, good.length - 32)),
                "a proof that stops below the root proves nothing without the piece layer");
    }

    @Test
    void blockHashesOfAPieceAreProvenByThePieceLayer() throws IOException {
        FileMerkleTree seed = new FileMerkleTree(DATA.length, PIECE, ROOT, layer());
        for (int p = 0; p < 7; p++) {
            int[] r = seed.blockRequest(p);
            byte[] answer = seed.answer(r[0], r[1], r[2], r[3], HAVE_ALL);
            assertEquals(2 * 32, answer.length, "no uncles: the piece hash proves them");
            byte[] proven = seed.verify(r[0], r[1], r[2], r[3], answer);
            assertNotNull(proven, "piece " + p);
            int real = leaves(p).length;
            assertArrayEquals(leaves(p), Arrays.copyOf(proven, real), "piece " + p);
            byte[] bad = answer.clone();
            bad[33] ^= 1;
            assertNull(seed.verify(r[0], r[1], r[2], r[3], bad), "a wrong second block hash, piece " + p);
        }
    }

    @Test
    void wholePieceLayerArrivesInChunksProvenByTheRoot() throws IOException {
        // 1100 pieces of 16 KiB: three chunks, the last of 76 pieces padded to 128.
        long length = 1100L * 16384 - 100;
        byte[] layer = new byte[1100 * 32];
        for (int i = 0; i < layer.length; i++) {
            layer[i] = (byte) (i * 31 + (i >> 5));
        }
        byte[] root = Merkle.rootFromLayer(layer, 1100, 16384);
        FileMerkleTree seed = new FileMerkleTree(length, 16384, root, layer);
        FileMerkleTree magnet = new FileMerkleTree(length, 16384, root, null);
        assertEquals(3, magnet.pieceLayerChunks());
        byte[] assembled = new byte[1100 * 32];
        for (int c = 0; c < 3; c++) {
            int[] r = magnet.pieceLayerRequest(c);
            byte[] proven = magnet.verify(r[0], r[1], r[2], r[3], seed.answer(r[0], r[1], r[2], r[3], null));
            assertNotNull(proven, "chunk " + c);
            System.arraycopy(proven, 0, assembled, r[1] * 32, Math.min(proven.length, assembled.length - r[1] * 32));
        }
        assertArrayEquals(new int[] {0, 1024, 128, 10}, magnet.pieceLayerRequest(2));
        assertArrayEquals(layer, assembled);
        assertNotNull(magnet.withPieceLayer(assembled).answer(0, 512, 512, 10, null), "and can now answer");
    }

    @Test
    void aPieceLayerThatDoesNotHashToTheRootIsRefusedOnUse() {
        byte[] wrong = layer();
        wrong[0] ^= 1;
        FileMerkleTree t = new FileMerkleTree(DATA.length, PIECE, ROOT, wrong);
        assertThrows(IllegalStateException.class, () -> t.answer(1, 0, 8, 2, HAVE_ALL));
    }
}
