package io.piecework.metainfo;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.TorrentMetainfo;
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
 * Builds a v1 torrent from a file or a folder. A folder contributes its regular files, hidden
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
        byte[] pieces = new PieceHasher(files.toArray(Path[]::new), lengths, pieceLength).hash(threads, progress);

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", nameOf.toString());
        info.put("piece length", (long) pieceLength);
        info.put("pieces", pieces);
        if (folder) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (int i = 0; i < lengths.length; i++) {
                list.add(Map.of("length", lengths[i], "path", components(root.relativize(files.get(i)))));
            }
            info.put("files", list);
        } else {
            info.put("length", lengths[0]);
        }
        if (request.privateFlag()) {
            info.put("private", 1L);
        }
        return toMetainfo(request, info, source);
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

    private static TorrentMetainfo toMetainfo(CreateRequest request, Map<String, Object> info, Path source)
            throws IOException {
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
