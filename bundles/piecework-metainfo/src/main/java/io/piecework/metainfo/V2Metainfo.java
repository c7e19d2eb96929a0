package io.piecework.metainfo;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHashV2;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.V2Files;
import io.piecework.api.text.Untrusted;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.metainfo.FileTreeParser.V2File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BEP 52 part of a torrent: the file tree, the piece layers (outside the info dictionary,
 * so each is checked against the pieces root the info-hash covers) and, for a hybrid, the
 * check that its v1 file list describes the same files in the same order with every file
 * starting a piece, so both halves name the same bytes.
 */
final class V2Metainfo {
    static final String LAYERS = "piece layers";

    /** The files as {@code TorrentMetainfo} lists them, and the v2 data per file. */
    record Result(List<FileEntry> files, boolean multiFile, V2Files v2) {
    }

    /** As many pieces as a v1 torrent of the largest size read can hash. */
    static final long MAX_PIECES = MetainfoParser.MAX_TORRENT_BYTES / 20;

    private V2Metainfo() {
    }

    /**
     * @param v1Files the v1 file list of a hybrid (pad files included), or null for v2-only
     */
    static Result read(BDictionary top, BDictionary info, String name, long pieceLength, byte[] infoBytes,
                       List<FileEntry> v1Files, boolean v1MultiFile) throws InvalidTorrentException {
        if (pieceLength < Merkle.BLOCK || Long.bitCount(pieceLength) != 1) {
            throw new InvalidTorrentException("info.piece length", "a v2 piece length must be a power of two of"
                    + " at least 16384, got " + pieceLength);
        }
        BValue treeValue = Fields.require(info, "file tree", "info");
        List<V2File> tree = FileTreeParser.parse(treeValue);
        boolean single = FileTreeParser.singleFile(treeValue);
        if (single) {
            // As in v1, a lone file is stored under the torrent's name.
            tree = List.of(new V2File(List.of(name), tree.get(0).length(), tree.get(0).root()));
        }
        List<byte[]> layers = layers(top, tree, pieceLength);
        InfoHashV2 hash = InfoHashV2.of(Merkle.sha256().digest(infoBytes));
        if (v1Files == null) {
            return alone(tree, layers, pieceLength, !single, hash);
        }
        if (v1MultiFile == single) {
            throw inconsistent("info", "v1 describes " + (v1MultiFile ? "a folder" : "a single file")
                    + " but the v2 file tree " + (single ? "a single file" : "a folder"));
        }
        List<byte[]> roots = new ArrayList<>(v1Files.size());
        List<byte[]> fileLayers = new ArrayList<>(v1Files.size());
        int j = 0;
        for (int i = 0; i < v1Files.size(); i++) {
            FileEntry f = v1Files.get(i);
            String at = v1MultiFile ? "info.files[" + i + "]" : "info";
            if (f.padding()) {
                roots.add(null);
                fileLayers.add(null);
                continue;
            }
            if (j == tree.size()) {
                throw inconsistent(at, "v1 lists file '" + shown(f.path()) + "' beyond the " + tree.size()
                        + " files of the v2 file tree");
            }
            V2File v2 = tree.get(j);
            if (!v2.path().equals(f.path()) || v2.length() != f.length()) {
                throw inconsistent(at, "v1 file " + (j + 1) + " is '" + shown(f.path()) + "' of " + f.length()
                        + " bytes but v2 file " + (j + 1) + " is '" + shown(v2.path()) + "' of " + v2.length() + " bytes");
            }
            if (f.length() > 0 && f.offset() % pieceLength != 0) {
                throw inconsistent(at, "file '" + shown(f.path()) + "' starts at byte " + f.offset()
                        + ", inside a piece: a hybrid needs pad files so that every file starts a piece");
            }
            roots.add(v2.root());
            fileLayers.add(layers.get(j));
            j++;
        }
        if (j != tree.size()) {
            throw inconsistent("info.files", "v1 lists " + j + " files but the v2 file tree " + tree.size());
        }
        return new Result(v1Files, v1MultiFile, new V2Files(hash, roots, fileLayers));
    }

    /**
     * A v2-only torrent: files laid out as a hybrid would, each starting a piece, with a pad
     * entry filling the gap before each file that needs one and after the last (libtorrent 2.0.8's
     * virtual pad files: its piece count and piece sizes), so the engine and storage map pieces
     * to files exactly as for a padded hybrid and ask libtorrent for the blocks it expects.
     */
    private static Result alone(List<V2File> tree, List<byte[]> layers, long pieceLength, boolean multiFile,
                                InfoHashV2 hash) throws InvalidTorrentException {
        List<FileEntry> files = new ArrayList<>(tree.size());
        List<byte[]> roots = new ArrayList<>(tree.size());
        List<byte[]> fileLayers = new ArrayList<>(tree.size());
        long end = 0;
        for (int i = 0; i < tree.size(); i++) {
            V2File f = tree.get(i);
            try {
                long offset = Math.multiplyExact((end + pieceLength - 1) / pieceLength, pieceLength);
                if (offset > end) { // before an empty file too, as libtorrent does: its offsets are ours
                    files.add(new FileEntry(List.of(".pad", Long.toString(offset - end)), offset - end, end, true));
                    roots.add(null);
                    fileLayers.add(null);
                }
                end = Math.addExact(offset, f.length());
                files.add(new FileEntry(f.path(), f.length(), offset, false));
            } catch (ArithmeticException e) {
                throw new InvalidTorrentException(FileTreeParser.WHERE + "[" + i + "].length",
                        "total size overflows 64 bits");
            }
            roots.add(f.root());
            fileLayers.add(layers.get(i));
        }
        if (end == 0) {
            throw new InvalidTorrentException("info", "the torrent holds no data (total size 0)");
        }
        if ((end - 1) / pieceLength >= MAX_PIECES) {
            // A v1 torrent cannot name more pieces than its hashes fit in; nor may a v2 one,
            // whose piece count the engine sizes its bitfields by.
            throw new InvalidTorrentException("info", "more than " + MAX_PIECES + " pieces of " + pieceLength
                    + " bytes");
        }
        if (end % pieceLength != 0) {
            // libtorrent pads the last file too: its last piece is whole, and it asks for it whole.
            // No overflow: end is below MAX_PIECES whole pieces.
            long gap = pieceLength - end % pieceLength;
            files.add(new FileEntry(List.of(".pad", Long.toString(gap)), gap, end, true));
            roots.add(null);
            fileLayers.add(null);
        }
        return new Result(files, multiFile, new V2Files(hash, roots, fileLayers));
    }

    /**
     * The layer of each tree file, null where the torrent has none (files of one piece never
     * have one; a magnet's metadata has none at all). Each present layer must have one hash
     * per piece of its file and hash up to the file's pieces root.
     */
    private static List<byte[]> layers(BDictionary top, List<V2File> tree, long pieceLength)
            throws InvalidTorrentException {
        BValue value = top.get(LAYERS);
        BDictionary dict = value == null ? BDictionary.of(Map.of()) : Fields.dictionary(value, LAYERS);
        Map<String, V2File> byRoot = new HashMap<>();
        for (V2File f : tree) {
            if (f.root() != null && f.length() > pieceLength) {
                byRoot.putIfAbsent(new String(f.root(), StandardCharsets.ISO_8859_1), f);
            }
        }
        Map<String, byte[]> checked = new HashMap<>();
        for (Map.Entry<String, BValue> e : dict.entries().entrySet()) {
            if (e.getKey().length() != Merkle.HASH) {
                throw new InvalidTorrentException(LAYERS, "a key of " + e.getKey().length()
                        + " bytes is not a 32-byte pieces root");
            }
            String at = LAYERS + "[" + hex(e.getKey()) + "]";
            V2File f = byRoot.get(e.getKey());
            if (f == null) {
                throw new InvalidTorrentException(at, "a layer for no file of more than one piece in the file tree");
            }
            BString layer = Fields.string(e.getValue(), at);
            long pieces = (f.length() + pieceLength - 1) / pieceLength;
            if (layer.length() != pieces * Merkle.HASH) {
                throw new InvalidTorrentException(at, "is " + layer.length() + " bytes but file '" + shown(f.path())
                        + "' has " + pieces + " pieces: 32 bytes each");
            }
            byte[] bytes = layer.bytes();
            if (!java.util.Arrays.equals(Merkle.rootFromLayer(bytes, (int) pieces, pieceLength), f.root())) {
                throw new InvalidTorrentException(at, "does not hash to the pieces root of file '"
                        + shown(f.path()) + "'");
            }
            checked.put(e.getKey(), bytes);
        }
        List<byte[]> out = new ArrayList<>(tree.size());
        for (V2File f : tree) {
            out.add(f.root() == null ? null : checked.get(new String(f.root(), StandardCharsets.ISO_8859_1)));
        }
        return out;
    }

    private static InvalidTorrentException inconsistent(String where, String why) {
        return new InvalidTorrentException(where, "hybrid torrent's v1 and v2 parts disagree: " + why);
    }

    private static String hex(String latin1) {
        return java.util.HexFormat.of().formatHex(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String shown(List<String> path) {
        return Untrusted.text(String.join("/", path), PathSanitizer.SHOWN_CHARS);
    }
}
