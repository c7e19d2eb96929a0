package io.piecework.metainfo;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.Bencode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a v1, v2 or hybrid (BEP 52) torrent from a file or a folder; v1 stays the default. A folder contributes its regular files, hidden
 * ones included, sorted by their path components compared as UTF-8 bytes, so the same folder
 * always gives the same info-hash. Symbolic links inside the folder are skipped, not followed
 * (a link could point anywhere, even into the folder itself); the source itself may be a link.
 */
public final class TorrentCreator {
    public static final String CREATED_BY = "Piecework 0.1.0";
    public static final int MIN_PIECE_LENGTH = 16 << 10;
    public static final int MAX_AUTO_PIECE_LENGTH = 16 << 20;
    /** Aim: the smallest power of two giving at most this many pieces (so 1000-2000 of them). */
    private static final int TARGET_PIECES = 2000;

    private TorrentCreator() {
    }

    /** Hashes the source and returns the torrent, its info dictionary in canonical encoding. */
    public static TorrentMetainfo create(CreateRequest request, CreateProgress progress) throws IOException {
        if (request.threads() < 0) {
            throw new IllegalArgumentException("threads must be 0 (all processors) or more, got " + request.threads());
        }
        Path source = request.source().toAbsolutePath().normalize();
        Path nameOf = source.getFileName();
        if (nameOf == null) {
            throw new IOException("cannot share " + source + ": it has no name to give the torrent");
        }
        boolean folder = Files.isDirectory(source);
        // The source itself may be a link; walk what it points to, keep the name it was given.
        Path root = folder ? source.toRealPath() : source;
        List<Path> files = folder ? listFiles(root) : List.of(source);
        if (!folder && !Files.isRegularFile(source)) {
            throw new IOException("cannot share " + source + ": not a regular file or folder");
        }
        long[] lengths = new long[files.size()];
        long total = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = Files.size(files.get(i));
            total += lengths[i];
        }
        if (total == 0) {
            throw new IOException("cannot share " + source + ": it holds no data (all files are empty)");
        }
        int pieceLength = request.pieceLength() == 0 ? autoPieceLength(total) : checkPieceLength(request.pieceLength());
        int threads = request.threads() == 0 ? Runtime.getRuntime().availableProcessors() : request.threads();
        TorrentVersion version = request.version();
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            names.add(folder ? String.join("/", components(root.relativize(f))) : nameOf.toString());
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", nameOf.toString());
        info.put("piece length", (long) pieceLength);
        // Hashing both halves of a hybrid reads the data twice: report each half as half the work.
        long data = total;
        long work = version == TorrentVersion.HYBRID ? 2 * data : data;
        if (version == TorrentVersion.V1) {
            v1(info, files, lengths, names, folder, pieceLength, false, threads, progress);
        } else if (version == TorrentVersion.HYBRID) {
            // The v1 half hashes pad zeros too; scale its count to the data's share of the work.
            v1(info, files, lengths, names, folder, pieceLength, true, threads,
                    (done, all) -> progress.hashed((long) ((double) done / all * data), work));
        }
        BDictionary layers = null;
        if (version.hasV2()) {
            long before = version.hasV1() ? total : 0;
            MerkleHasher.FileHashes[] hashes = new MerkleHasher(files.toArray(Path[]::new), lengths, pieceLength)
                    .hash(threads, (done, all) -> progress.hashed(before + done, work), data);
            info.put("meta version", 2L);
            info.put("file tree", V2Layout.tree(names, lengths, hashes, folder));
            layers = V2Layout.layers(hashes);
        }
        if (request.privateFlag()) {
            info.put("private", 1L);
        }
        return toMetainfo(request, info, layers, source);
    }

    /**
     * The v1 half. A hybrid's v1 file list gets a BEP 47 pad file after every file that does not
     * end on a piece boundary (after the last one too, as libtorrent 2.0.8 writes them), so each
     * file starts a piece as in the v2 half and both halves give the same hashes as libtorrent's.
     */
    private static void v1(Map<String, Object> info, List<Path> files, long[] lengths, List<String> names,
                           boolean folder, int pieceLength, boolean padded, int threads, CreateProgress progress)
            throws IOException {
        List<Path> paths = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<Map<String, Object>> list = new ArrayList<>();
        long end = 0;
        for (int i = 0; i < lengths.length; i++) {
            paths.add(files.get(i));
            sizes.add(lengths[i]);
            list.add(Map.of("length", lengths[i], "path", List.of(names.get(i).split("/", -1))));
            end += lengths[i];
            long gap = (pieceLength - end % pieceLength) % pieceLength;
            if (padded && folder && gap > 0) {
                paths.add(null);
                sizes.add(gap);
                list.add(Map.of("attr", "p", "length", gap, "path", List.of(".pad", Long.toString(gap))));
                end += gap;
            }
        }
        long[] all = sizes.stream().mapToLong(Long::longValue).toArray();
        info.put("pieces", new PieceHasher(paths.toArray(Path[]::new), all, pieceLength).hash(threads, progress));
        if (folder) {
            info.put("files", list);
        } else {
            info.put("length", lengths[0]);
        }
    }

    /** A power of two between 16 KiB and 16 MiB giving at most about 2000 pieces. */
    public static int autoPieceLength(long totalBytes) {
        int length = MIN_PIECE_LENGTH;
        while (length < MAX_AUTO_PIECE_LENGTH && (totalBytes + length - 1) / length > TARGET_PIECES) {
            length <<= 1;
        }
        return length;
    }

    static int checkPieceLength(long length) {
        if (length < MIN_PIECE_LENGTH || length > MetainfoParser.MAX_PIECE_LENGTH || Long.bitCount(length) != 1) {
            throw new IllegalArgumentException("piece length " + length + " must be a power of two from "
                    + MIN_PIECE_LENGTH + " (16 KiB) to " + MetainfoParser.MAX_PIECE_LENGTH + " (512 MiB), or 0 to choose");
        }
        return (int) length;
    }

    private static TorrentMetainfo toMetainfo(CreateRequest request, Map<String, Object> info, BDictionary layers,
                                              Path source) throws IOException {
        Map<String, Object> top = new LinkedHashMap<>();
        List<String> trackers = request.trackers();
        if (!trackers.isEmpty()) {
            top.put("announce", trackers.get(0));
            top.put("announce-list", trackers.stream().map(List::of).toList());
        }
        if (!request.webSeeds().isEmpty()) {
            top.put("url-list", request.webSeeds());
        }
        if (request.comment() != null) {
            top.put("comment", request.comment());
        }
        top.put("created by", CREATED_BY);
        top.put("creation date", Instant.now().getEpochSecond());
        top.put("info", info);
        if (layers != null && layers.size() > 0) {
            top.put(V2Metainfo.LAYERS, layers);
        }
        try {
            // Parsing our own output validates names with the same rules a downloader applies.
            return MetainfoParser.parse(Bencode.encodeObject(top));
        } catch (InvalidTorrentException e) {
            throw new IOException("cannot share " + source + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> listFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        // No FOLLOW_LINKS: links show up as links and are skipped, so no cycles and no escapes.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (files.isEmpty()) {
            throw new IOException("cannot share " + root + ": the folder holds no regular files");
        }
        files.sort(Comparator.comparing((Path p) -> utf8Components(root.relativize(p)), TorrentCreator::compare));
        return files;
    }

    private static List<String> components(Path relative) {
        List<String> out = new ArrayList<>(relative.getNameCount());
        relative.forEach(p -> out.add(p.toString()));
        return out;
    }

    private static List<byte[]> utf8Components(Path relative) {
        return components(relative).stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Component by component, each compared as unsigned bytes; a prefix sorts first. */
    private static int compare(List<byte[]> a, List<byte[]> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Arrays.compareUnsigned(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
