package io.piecework.metainfo;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.api.metainfo.V2Files;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BList;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import io.piecework.bencode.BencodeLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses .torrent files (BEP 3, 12, 19, 27, 47, 52) strictly: v1, v2-only and hybrid. A hybrid
 * keeps its v1 file list (pad files included) and info-hash as {@link TorrentMetainfo#infoHash()},
 * so v1 peers and code see what they always saw, and is refused when its two halves disagree.
 * The v2 part ({@link V2Metainfo}) adds the SHA-256 info-hash, pieces roots and verified piece layers.
 */
public final class MetainfoParser {
    /*
     * The limits below keep any input, however crafted, to a bounded heap: with all of them at
     * their worst at once, parsing and holding the result (one Path per file in storage
     * included) stays well under 256 MiB, which a test checks with the heap capped.
     */
    /**
     * Largest .torrent (and info dictionary) accepted: the size a magnet's metadata may have,
     * and above libtorrent's own default (10 MB); real ones are a few MiB at most.
     */
    public static final int MAX_TORRENT_BYTES = 16 << 20;
    /** Largest piece length accepted when reading; creation is stricter. */
    public static final long MAX_PIECE_LENGTH = 512L << 20;
    /**
     * Most bencode values (strings, integers, lists, dictionaries, keys) in one .torrent. A
     * decoded value costs the heap far more than its few encoded bytes (up to ~130 bytes for
     * an empty dictionary), so the count, not the size, bounds the decoded tree. A torrent of
     * 100,000 files three folders deep has about 900,000 values; libtorrent's default bound is
     * 3 million bdecode tokens, which count every list and dictionary end too.
     */
    public static final int MAX_VALUES = 1 << 20;
    /**
     * Most components (folders and the file name) in one file's path. Real trees nest a few
     * dozen levels at most; storage resolves and creates every level of every path, so this
     * keeps the work per file small.
     */
    public static final int MAX_PATH_DEPTH = 128;
    /**
     * v1 torrents nest four levels deep, but a v2 file tree nests one dictionary per path
     * component (plus the top, info, file tree and file levels), so nesting follows the path
     * depth limit; the decoder recurses once per level, a few hundred bytes of stack each.
     */
    public static final int MAX_NESTING = MAX_PATH_DEPTH + 8;
    public static final BencodeLimits LIMITS = new BencodeLimits(MAX_NESTING, MAX_TORRENT_BYTES,
            MAX_TORRENT_BYTES, MAX_VALUES);
    /**
     * Most bytes of all file paths together (sanitised, UTF-8, joined with '/', plus one per
     * file): what the file list and storage's one {@code Path} per file keep on the heap.
     * Sanitising can triple a legacy (non-UTF-8) name, so this is checked after it.
     */
    public static final int MAX_TOTAL_PATH_BYTES = 16 << 20;
    /**
     * Longest name, path component, comment, "created by" or URL before decoding: a name is
     * cut to {@link PathSanitizer#MAX_COMPONENT_BYTES} anyway, and a megabyte comment is an
     * attack, not a note.
     */
    public static final int MAX_TEXT_BYTES = 64 << 10;
    /** Most trackers (all tiers together) and most web seeds, each. */
    public static final int MAX_URLS = 1000;

    private MetainfoParser() {
    }

    /** Reads a .torrent file, refusing one larger than {@link #MAX_TORRENT_BYTES} before reading it. */
    public static TorrentMetainfo read(Path file) throws IOException, InvalidTorrentException {
        long size = Files.size(file);
        if (size > MAX_TORRENT_BYTES) {
            throw tooLarge(file, size);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Exactly the size found (one array, no doubling); a file grown since is refused.
            bytes = in.readNBytes((int) size);
            if (in.read() >= 0) {
                throw tooLarge(file, MAX_TORRENT_BYTES + 1L);
            }
        }
        if (bytes.length > MAX_TORRENT_BYTES) {
            throw tooLarge(file, bytes.length);
        }
        return parse(bytes);
    }

    public static TorrentMetainfo parse(byte[] torrent) throws InvalidTorrentException {
        BValue root;
        try {
            root = Bencode.decode(torrent, LIMITS);
        } catch (BencodeException e) {
            throw new InvalidTorrentException("byte " + e.offset(), reason(e), e);
        }
        BDictionary top = Fields.dictionary(root, "torrent");
        BDictionary info = Fields.dictionary(Fields.require(top, "info", "torrent"), "info");
        TorrentVersion version = version(info);

        String name = PathSanitizer.component(require(Fields.text(info, "name", "info."), "info", "name"),
                "info.name");
        long pieceLength = Fields.integer(Fields.require(info, "piece length", "info"), "info.piece length");
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw new InvalidTorrentException("info.piece length", "piece length " + pieceLength
                    + " is not between 1 and " + MAX_PIECE_LENGTH);
        }
        ByteBuffer infoRaw = info.raw();
        byte[] infoBytes = new byte[infoRaw.remaining()];
        infoRaw.get(infoBytes);

        List<FileEntry> files = null;
        boolean multiFile = false;
        byte[] pieceHashes = new byte[0];
        if (version.hasV1()) {
            BString pieces = Fields.string(Fields.require(info, "pieces", "info"), "info.pieces");
            multiFile = info.containsKey("files");
            if (multiFile == info.containsKey("length")) {
                throw new InvalidTorrentException("info", multiFile
                        ? "has both 'length' and 'files'" : "has neither 'length' (single file) nor 'files'");
            }
            files = multiFile ? FileListParser.parse(Fields.list(info.get("files"), "info.files"))
                    : List.of(singleFile(info, name));
            FileEntry last = files.get(files.size() - 1);
            checkPieces(last.offset() + last.length(), pieceLength, pieces.length());
            pieceHashes = pieces.bytes();
        }
        V2Files v2 = null;
        if (version.hasV2()) {
            V2Metainfo.Result r = V2Metainfo.read(top, info, name, pieceLength, infoBytes, files, multiFile);
            files = r.files();
            multiFile = r.multiFile();
            v2 = r.v2();
        }
        InfoHash hash = version.hasV1() ? InfoHash.of(sha1(infoBytes)) : v2.infoHash().truncated();
        boolean priv = info.get("private") instanceof BInteger p && p.value() == 1;
        Long created = top.integer("creation date").map(i -> i.value()).orElse(null);
        return new TorrentMetainfo(version, hash, v2, name, pieceLength, pieceHashes, files,
                multiFile, trackers(top), webSeeds(top), priv, Fields.text(top, "comment", ""),
                Fields.text(top, "created by", ""), created, infoBytes);
    }

    private static FileEntry singleFile(BDictionary info, String name) throws InvalidTorrentException {
        long length = Fields.integer(info.get("length"), "info.length");
        if (length < 0) {
            throw new InvalidTorrentException("info.length", "negative file length " + length);
        }
        return new FileEntry(List.of(name), length, 0, false);
    }

    /**
     * v1 when there is no {@code meta version} 2; v2-only when version 2 comes without the v1
     * fields; hybrid when both are there (each half is then read and the two compared).
     */
    private static TorrentVersion version(BDictionary info) throws InvalidTorrentException {
        long version = info.integer("meta version").map(i -> i.value()).orElse(1L);
        if (version != 1 && version != 2) {
            throw new InvalidTorrentException("info.meta version", "unknown meta version " + version);
        }
        boolean v1 = info.containsKey("pieces") || info.containsKey("length") || info.containsKey("files");
        if (version == 1) {
            if (info.containsKey("file tree")) {
                throw new InvalidTorrentException("info", "has a v2 'file tree' but no 'meta version' 2");
            }
            return TorrentVersion.V1;
        }
        return v1 ? TorrentVersion.HYBRID : TorrentVersion.V2;
    }

    private static void checkPieces(long total, long pieceLength, int piecesBytes) throws InvalidTorrentException {
        if (total == 0) {
            throw new InvalidTorrentException("info", "the torrent holds no data (total size 0)");
        }
        if (piecesBytes % InfoHash.LENGTH != 0) {
            throw new InvalidTorrentException("info.pieces", "length " + piecesBytes + " is not a multiple of 20");
        }
        long expected = (total - 1) / pieceLength + 1;
        if (piecesBytes / InfoHash.LENGTH != expected) {
            throw new InvalidTorrentException("info.pieces", "holds " + piecesBytes / InfoHash.LENGTH
                    + " piece hashes but " + total + " bytes in pieces of " + pieceLength + " need " + expected);
        }
    }

    /**
     * BEP 12: when announce-list holds any tracker, announce is ignored (as libtorrent and the
     * BEP do); announce alone is one tier of one.
     */
    private static List<List<String>> trackers(BDictionary top) throws InvalidTorrentException {
        List<List<String>> tiers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        BValue list = top.get("announce-list");
        if (list != null) {
            BList outer = Fields.list(list, "announce-list");
            for (int t = 0; t < outer.size(); t++) {
                BList tier = Fields.list(outer.get(t), "announce-list[" + t + "]");
                List<String> urls = new ArrayList<>();
                for (int u = 0; u < tier.size(); u++) {
                    String where = "announce-list[" + t + "][" + u + "]";
                    String url = Fields.url(tier.get(u), where);
                    if (!url.isEmpty() && seen.add(url)) {
                        urls.add(url);
                        checkUrlCount(seen.size(), where);
                    }
                }
                if (!urls.isEmpty()) {
                    tiers.add(urls);
                }
            }
        }
        BValue announce = top.get("announce");
        if (announce != null && tiers.isEmpty()) {
            String url = Fields.url(announce, "announce");
            if (!url.isEmpty() && seen.add(url)) {
                tiers.add(List.of(url));
            }
        }
        return tiers;
    }

    /** BEP 19 {@code url-list}: one string or a list of strings. */
    private static List<String> webSeeds(BDictionary top) throws InvalidTorrentException {
        BValue v = top.get("url-list");
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof BString) {
            addSeed(out, Fields.url(v, "url-list"));
        } else if (v != null) {
            BList l = Fields.list(v, "url-list");
            for (int i = 0; i < l.size(); i++) {
                String where = "url-list[" + i + "]";
                addSeed(out, Fields.url(l.get(i), where));
                checkUrlCount(out.size(), where);
            }
        }
        return new ArrayList<>(out);
    }

    private static void addSeed(Set<String> out, String url) {
        if (!url.isEmpty()) {
            out.add(url);
        }
    }

    private static void checkUrlCount(int count, String where) throws InvalidTorrentException {
        if (count > MAX_URLS) {
            throw new InvalidTorrentException(where, "more than " + MAX_URLS + " URLs");
        }
    }

    private static String require(String value, String where, String key) throws InvalidTorrentException {
        if (value == null) {
            throw new InvalidTorrentException(where, "missing field '" + key + "'");
        }
        return value;
    }

    /** The decoder's message without its own "at byte N: " prefix, which {@code where} carries. */
    private static String reason(BencodeException e) {
        String m = e.getMessage();
        int colon = m.indexOf(": ");
        return m.startsWith("at byte ") && colon > 0 ? m.substring(colon + 2) : m;
    }

    private static InvalidTorrentException tooLarge(Path file, long size) {
        // The caller names the file as its user did; the message only says what is wrong.
        return new InvalidTorrentException("file size", size + " bytes exceeds the limit of "
                + MAX_TORRENT_BYTES + " bytes for a .torrent");
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
