package io.piecework.itests.webui;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Random payloads in {@code seed/} and their .torrent files, for a libtorrent seeder to serve. */
final class Payload {
    static final int PIECE = 64 * 1024;

    private Payload() {
    }

    /** {@code seed/name}: one file of {@code size} bytes, or a folder of {@code count} files; NAME.torrent beside seed/. */
    static TorrentMetainfo create(Path dir, String name, int size, int count) throws IOException {
        return create(dir, name, size, count, List.of());
    }

    /** As above, announcing to {@code trackers} (one tier each). */
    static TorrentMetainfo create(Path dir, String name, int size, int count, List<String> trackers) throws IOException {
        Path root = Files.createDirectories(dir.resolve("seed")).resolve(name);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (int i = 0; i < count; i++) {
            Path f = count == 1 ? root : Files.createDirectories(root).resolve("file-" + i + ".bin");
            byte[] bytes = new byte[size / count + i * 1234];
            random.nextBytes(bytes);
            Files.write(f, bytes);
        }
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(root, PIECE, trackers, List.of(), false, null, 1),
                CreateProgress.NONE);
        Files.write(torrent(dir, name), MetainfoWriter.write(meta));
        return meta;
    }

    /** A folder holding one file of {@code size} bytes named {@code fileName} (any name Linux allows). */
    static TorrentMetainfo createWithFile(Path dir, String name, String fileName, int size) throws IOException {
        Path root = Files.createDirectories(dir.resolve("seed").resolve(name));
        byte[] bytes = new byte[size];
        new SplittableRandom(name.hashCode()).nextBytes(bytes);
        Files.write(root.resolve(fileName), bytes);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(root, PIECE, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
        Files.write(torrent(dir, name), MetainfoWriter.write(meta));
        return meta;
    }

    static Path torrent(Path dir, String name) {
        return dir.resolve(name.replaceAll("[^A-Za-z0-9]", "_") + ".torrent");
    }
}
