package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where each file of a torrent lives and which file bytes a range of the torrent covers.
 * Every path is checked to stay inside the torrent's folder, even though the metainfo parser
 * already sanitised the names: a torrent built by other code must not escape either.
 */
final class FileLayout {
    private final TorrentMetainfo metainfo;
    private final Path downloadDir;
    private final Path root;
    private final Path[] paths;
    private final long[] offsets;

    private FileLayout(TorrentMetainfo metainfo, Path downloadDir, Path root, Path[] paths) {
        this.metainfo = metainfo;
        this.downloadDir = downloadDir;
        this.root = root;
        this.paths = paths;
        List<FileEntry> files = metainfo.files();
        this.offsets = new long[files.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = files.get(i).offset();
        }
    }

    static FileLayout of(TorrentMetainfo metainfo, Path downloadDir) throws StorageException {
        Path dir = downloadDir.toAbsolutePath().normalize();
        try {
            Path root = dir;
            if (metainfo.multiFile()) {
                root = dir.resolve(metainfo.name()).normalize();
                if (!dir.equals(root.getParent())) {
                    throw unsafe(metainfo, metainfo.name());
                }
            }
            List<FileEntry> files = metainfo.files();
            Path[] paths = new Path[files.size()];
            for (int i = 0; i < paths.length; i++) {
                FileEntry entry = files.get(i);
                if (entry.padding()) {
                    continue;
                }
                Path path = root;
                for (String component : entry.path()) {
                    path = path.resolve(component);
                }
                path = path.normalize();
                if (!path.startsWith(root) || path.equals(root)) {
                    throw unsafe(metainfo, entry.displayPath());
                }
                paths[i] = path;
            }
            return new FileLayout(metainfo, dir, root, paths);
        } catch (InvalidPathException e) {
            throw new StorageException(StorageException.Kind.UNSAFE_PATH,
                    metainfo + ": file name is not a valid path here: " + e.getMessage(), e);
        }
    }

    private static StorageException unsafe(TorrentMetainfo metainfo, String path) {
        return new StorageException(StorageException.Kind.UNSAFE_PATH,
                metainfo + ": file '" + path + "' would be stored outside the torrent's folder; refused");
    }

    TorrentMetainfo metainfo() {
        return metainfo;
    }

    Path downloadDir() {
        return downloadDir;
    }

    /** The torrent's folder: {@code downloadDir/name} for multi-file, the download folder otherwise. */
    Path root() {
        return root;
    }

    int fileCount() {
        return paths.length;
    }

    /** The file's path, or null for a pad file (never on disk). */
    Path path(int file) {
        return paths[file];
    }

    /** Offset of the file's first byte in the torrent. */
    long start(int file) {
        return offsets[file];
    }

    long length(int file) {
        return metainfo.files().get(file).length();
    }

    /** Index of the file holding torrent byte {@code offset} (skipping zero-length files). */
    int fileAt(long offset) {
        int lo = 0;
        int hi = offsets.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // Several files may start at the offset when some are empty: take the one with bytes.
        while (lo < offsets.length - 1 && length(lo) == 0) {
            lo++;
        }
        return lo;
    }

    /** First and last file index (inclusive) holding bytes of {@code piece}, packed hi/lo. */
    long filesOfPiece(int piece) {
        long start = piece * metainfo.pieceLength();
        long end = start + metainfo.pieceSize(piece) - 1;
        return ((long) fileAt(start) << 32) | fileAt(end);
    }
}
