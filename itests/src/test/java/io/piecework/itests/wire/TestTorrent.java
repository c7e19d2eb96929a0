package io.piecework.itests.wire;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.Bencode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;

/** One file of random bytes and its .torrent, made by libtorrent, read with our bencode. */
record TestTorrent(Path dataDir, Path data, Path torrent, byte[] content, byte[] info, InfoHash infoHash,
                   int pieceLength, int pieceCount) {
    static TestTorrent create(Path dir, int size, int pieceLength) throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve("seed"));
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        Path data = Files.write(dataDir.resolve("data.bin"), content);
        Path torrent = dir.resolve("data.torrent");
        LibtorrentPeer.run("create", data.toString(), torrent.toString(), Integer.toString(pieceLength));
        BDictionary meta = (BDictionary) Bencode.decode(Files.readAllBytes(torrent));
        BDictionary info = meta.dictionary("info").orElseThrow();
        ByteBuffer raw = info.raw();
        byte[] infoBytes = new byte[raw.remaining()];
        raw.get(infoBytes);
        InfoHash hash = InfoHash.of(MessageDigest.getInstance("SHA-1").digest(infoBytes));
        int pieces = info.string("pieces").orElseThrow().length() / 20;
        int length = (int) info.integer("piece length").orElseThrow().value();
        return new TestTorrent(dataDir, data, torrent, content, infoBytes, hash, length, pieces);
    }
}
