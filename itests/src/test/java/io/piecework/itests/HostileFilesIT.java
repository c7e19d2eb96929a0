package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.bencode.Bencode;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * {@code bin/piecework get} into a folder holding what a hostile torrent or a local user could
 * plant there: another torrent's forged resume record, and symbolic links where Piecework
 * writes. Peers are libtorrent seeders on loopback. (XDG_STATE_HOME points into target/ for the
 * whole build, so resume data never goes to the real home.)
 */
class HostileFilesIT {
    private static final int TIMEOUT_S = 120;
    private static final Path LT_NODE = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();

    @TempDir
    Path dir;
    private Path down;
    private Path outside;
    private TorrentMetainfo payload;
    private Path payloadTorrent;

    private record Result(int status, String out, String err) {
    }

    @BeforeEach
    void makePayload() throws Exception {
        down = Files.createDirectories(dir.resolve("down"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Path root = dir.resolve("seed/payload");
        write(root.resolve("a.bin"), 700_000, 1);
        write(root.resolve("sub/b.bin"), 300_000, 2);
        payload = create(root);
        payloadTorrent = Files.write(dir.resolve("payload.torrent"), MetainfoWriter.write(payload));
    }

    private static TorrentMetainfo create(Path root) throws Exception {
        return TorrentCreator.create(new CreateRequest(root, 64 * 1024, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
    }

    private static void write(Path file, int size, long seed) throws Exception {
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.write(file, bytes);
    }

    private ScriptProcess seeder(Path torrent, Path data, String log) throws Exception {
        return ScriptProcess.start(dir.resolve(log), List.of(ScriptProcess.PYTHON, LT_NODE.toString(), "seed",
                torrent.toString(), data.toString()));
    }

    private static String peer(ScriptProcess seeder) throws Exception {
        return "127.0.0.1:" + seeder.await("PORT", 60).split(" ")[1];
    }

    private Result get(String what, String peer) throws Exception {
        Path out = dir.resolve("get.out");
        Path err = dir.resolve("get.err");
        ProcessBuilder pb = new ProcessBuilder(Distribution.home().resolve("bin/piecework").toString(), "get", what,
                "-o", down.toString(), "--peer", peer, "--port", "0")
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("PIECEWORK_LOG");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("get did not finish within " + TIMEOUT_S + " s: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private void assertPayloadDownloaded() throws Exception {
        for (FileEntry f : payload.files()) {
            Path rel = Path.of(payload.name(), f.path().toArray(new String[0]));
            assertEquals(-1L, Files.mismatch(dir.resolve("seed").resolve(rel), down.resolve(rel)), rel + " is the seed's");
        }
    }

    private List<Path> outsideFiles() throws Exception {
        try (Stream<Path> walk = Files.walk(outside)) {
            return walk.filter(p -> !p.equals(outside)).sorted().toList();
        }
    }

    /** A resume record as the storage wrote them before: every piece claimed, every file missing. */
    private byte[] forgedRecord() {
        RoaringBitmap all = new RoaringBitmap();
        all.add(0L, payload.pieceCount());
        ByteBuffer bits = ByteBuffer.allocate(all.serializedSizeInBytes());
        all.serialize(bits);
        List<Object> stamps = new ArrayList<>();
        payload.files().forEach(f -> stamps.add(List.of(-1L, 0L)));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("version", 1L);
        record.put("info-hash", payload.infoHash().bytes());
        record.put("pieces", bits.array());
        record.put("files", stamps);
        return Bencode.encodeObject(record);
    }

    @Test
    void aTorrentNamedDotPieceworkCannotForgeAnotherTorrentsResumeData() throws Exception {
        Path forger = dir.resolve("forger/.piecework");
        Files.createDirectories(forger);
        Files.write(forger.resolve(payload.infoHash().hex() + ".state"), forgedRecord());
        Path forgerTorrent = Files.write(dir.resolve("forger.torrent"), MetainfoWriter.write(create(forger)));
        try (ScriptProcess forgerSeed = seeder(forgerTorrent, dir.resolve("forger"), "forger.log");
             ScriptProcess payloadSeed = seeder(payloadTorrent, dir.resolve("seed"), "payload.log")) {
            Result planted = get(forgerTorrent.toString(), peer(forgerSeed));
            assertEquals(0, planted.status(), planted.err());
            Result r = get(payloadTorrent.toString(), peer(payloadSeed));
            assertEquals(0, r.status(), r.err());
        }
        assertPayloadDownloaded();
    }

    @Test
    void refusesToWriteThroughALinkInPlaceOfTheTorrentFolderWithOneMessage() throws Exception {
        Files.createSymbolicLink(down.resolve("payload"), outside);
        Result r;
        try (ScriptProcess seed = seeder(payloadTorrent, dir.resolve("seed"), "payload.log")) {
            r = get(payloadTorrent.toString(), peer(seed));
        }
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals(List.of(), outsideFiles(), "nothing written through the link");
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.stream().filter(l -> l.contains("symbolic link")).count(), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("refusing to write through symbolic link " + down.resolve("payload"))),
                r.err());
        assertEquals(List.of(), lines.stream().filter(l -> l.contains("WARN") && l.contains("payload")).toList(),
                "one message, no warnings");
    }

    @Test
    void aMagnetNeitherWritesThroughALinkNorReplacesATorrentFile() throws Exception {
        Path victim = Files.write(outside.resolve("victim"), "keep".getBytes());
        Files.createSymbolicLink(down.resolve("payload.torrent.part"), victim);
        Files.write(down.resolve("payload.torrent"), "mine".getBytes());
        try (ScriptProcess seed = seeder(payloadTorrent, dir.resolve("seed"), "payload.log")) {
            String port = peer(seed);
            Result r = get("magnet:?xt=urn:btih:" + payload.infoHash().hex() + "&x.pe=" + port, port);
            assertEquals(0, r.status(), r.err());
        }
        assertArrayEquals("keep".getBytes(), Files.readAllBytes(victim), "nothing written through the link");
        assertArrayEquals("mine".getBytes(), Files.readAllBytes(down.resolve("payload.torrent")), "the user's file kept");
        Path saved = down.resolve("payload." + payload.infoHash().hex().substring(0, 8) + ".torrent");
        assertEquals(payload.infoHash(), MetainfoParser.read(saved).infoHash());
        assertPayloadDownloaded();
    }

    @Test
    void resumeDataIsNotWrittenThroughALinkAtTheOldResumeFolder() throws Exception {
        Files.createSymbolicLink(down.resolve(".piecework"), outside);
        try (ScriptProcess seed = seeder(payloadTorrent, dir.resolve("seed"), "payload.log")) {
            Result r = get(payloadTorrent.toString(), peer(seed));
            assertEquals(0, r.status(), r.err());
        }
        assertPayloadDownloaded();
        assertEquals(List.of(), outsideFiles(), "no resume data written through the link");
    }
}
