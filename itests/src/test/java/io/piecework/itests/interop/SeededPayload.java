package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an engine interop test starts: files under {@code seedDir/payload}, their .torrent
 * (v1, pad files as libtorrent aligns them), and lt_node.py copied beside to seed or fetch them.
 */
record SeededPayload(Path seedDir, Path torrentFile, TorrentMetainfo meta, Path script) {

    /** Writes the payload's files under the folder it is given. */
    interface Content {
        void write(Path root) throws IOException;
    }

    static SeededPayload create(Path dir, int pieceLength, Content files) throws IOException {
        Path seedDir = dir.resolve("seed");
        Path root = seedDir.resolve("payload");
        files.write(root);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(root, pieceLength, List.of(), List.of(), false,
                null, 2), CreateProgress.NONE);
        Path torrentFile = dir.resolve("payload.torrent");
        Files.write(torrentFile, MetainfoWriter.write(meta));
        return new SeededPayload(seedDir, torrentFile, meta, Libtorrent.script("lt_node.py", dir));
    }

    /** libtorrent seeding the payload; {@code extra} as lt_node.py takes it. */
    LibtorrentNode libtorrentSeed(String... extra) throws IOException, InterruptedException {
        return new LibtorrentNode(script, "seed", torrentFile, seedDir, extra);
    }

    /** libtorrent fetching the payload into {@code saveDir}. */
    LibtorrentNode libtorrentLeech(Path saveDir, String... extra) throws IOException, InterruptedException {
        return new LibtorrentNode(script, "leech", torrentFile, saveDir, extra);
    }

    /** Fails unless every file of the torrent under {@code downloadDir} equals the seed's. */
    void assertSameFiles(Path downloadDir) throws IOException {
        for (FileEntry f : meta.files()) {
            Path original = seedDir.resolve(meta.name()).resolve(String.join("/", f.path()));
            Path copy = downloadDir.resolve(meta.name()).resolve(String.join("/", f.path()));
            assertEquals(-1L, Files.mismatch(original, copy), copy + " differs from " + original);
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }
}
