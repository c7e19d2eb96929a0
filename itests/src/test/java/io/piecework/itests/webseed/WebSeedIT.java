package io.piecework.itests.webseed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.itests.Distribution;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/piecework get} with BEP 19 web seeds: a loopback HTTP server with range support
 * holds a multi-file payload whose files do not end on piece boundaries. The download completes
 * from the web seed alone (no peer, no tracker), from the web seed and a libtorrent seeder
 * together, and beside a second web seed that corrupts what it serves, which is dropped; and
 * from a magnet link whose {@code ws=} names the web seed, once libtorrent gave the metadata.
 */
class WebSeedIT {
    private static final int PIECE = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void getCompletesFromAWebSeedAlone() throws Exception {
        Path data = payload();
        try (FileRangeServer seed = new FileRangeServer(data, false)) {
            Path torrent = torrent(data, List.of(seed.url()));
            Run run = get(torrent, List.of());
            assertEquals(0, run.exit(), run.output());
            assertIdentical(torrent, data);
            assertTrue(seed.ranges.get() > 0, "the web seed served the payload");
        }
    }

    @Test
    void getCompletesFromAWebSeedAndLibtorrentTogether() throws Exception {
        Path data = payload();
        // Both slow (the web seed 0.5 MB/s, libtorrent 1 MB/s): alone, the web seed would take over
        // 10 s for the 5 MiB, time enough for libtorrent to carry a part even on a loaded machine.
        try (FileRangeServer seed = new FileRangeServer(data, false, 500_000)) {
            Path torrent = torrent(data, List.of(seed.url()));
            Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
            try (ScriptProcess lt = ScriptProcess.start(dir.resolve("lt.log"), List.of(ScriptProcess.PYTHON,
                    script.toString(), "seed", torrent.toString(), data.toString(), "--upload-limit", "1000000"))) {
                String peer = "127.0.0.1:" + lt.await("PORT", 60).split(" ")[1];
                Run run = get(torrent, List.of("--peer", peer));
                assertEquals(0, run.exit(), run.output());
                assertTrue(lt.poll("FIRST", 10) != null, "libtorrent sent payload too: " + run.output()
                        + Files.readString(dir.resolve("lt.log")));
            }
            assertIdentical(torrent, data);
            assertTrue(seed.ranges.get() > 0, "the web seed served part of the payload");
        }
    }

    @Test
    void aWebSeedThatCorruptsWhatItServesIsDroppedAndTheDownloadCompletes() throws Exception {
        Path data = payload();
        try (FileRangeServer bad = new FileRangeServer(data, true);
             FileRangeServer good = new FileRangeServer(data, false)) {
            Path torrent = torrent(data, List.of(bad.url(), good.url()));
            Run run = get(torrent, List.of());
            assertEquals(0, run.exit(), run.output());
            assertIdentical(torrent, data);
            assertTrue(bad.ranges.get() > 0, "the corrupting seed was asked: " + run.output());
            // Two pieces of its own failed: banned like a peer and disconnected.
            assertTrue(run.output().contains("banned /127.0.0.1:" + bad.port()), run.output());
            assertTrue(!run.output().contains("banned /127.0.0.1:" + good.port()), run.output());
        }
    }

    @Test
    void aMagnetWithWsAndTheInfoHashGetsItsMetadataFromLibtorrentAndThePayloadFromTheWebSeed() throws Exception {
        Path data = payload();
        try (FileRangeServer seed = new FileRangeServer(data, false)) {
            // The .torrent libtorrent seeds has no url-list: the web seed can only come from ws=.
            Path torrent = torrent(data, List.of());
            TorrentMetainfo meta = io.piecework.metainfo.MetainfoParser.parse(Files.readAllBytes(torrent));
            Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
            // libtorrent slow (20 kB/s): it hands over the metadata (ut_metadata), the web seed the bulk.
            try (ScriptProcess lt = ScriptProcess.start(dir.resolve("lt.log"), List.of(ScriptProcess.PYTHON,
                    script.toString(), "seed", torrent.toString(), data.toString(), "--upload-limit", "20000"))) {
                String peer = "127.0.0.1:" + lt.await("PORT", 60).split(" ")[1];
                String magnet = "magnet:?xt=urn:btih:" + meta.infoHash().hex() + "&ws="
                        + java.net.URLEncoder.encode(seed.url(), StandardCharsets.UTF_8) + "&x.pe=" + peer;
                Run run = get(magnet, List.of());
                assertEquals(0, run.exit(), run.output() + Files.readString(dir.resolve("lt.log")));
            }
            assertIdentical(torrent, data);
            assertTrue(seed.ranges.get() > 0, "the web seed from ws= served the payload");
            Path saved = dir.resolve("down").resolve(meta.name() + ".torrent");
            assertEquals(List.of(seed.url()), io.piecework.metainfo.MetainfoParser.read(saved).webSeeds(),
                    "the saved .torrent keeps the web seed as url-list");
        }
    }

    private record Run(int exit, String output) {
    }

    private Run get(Path torrent, List<String> extra) throws IOException, InterruptedException {
        return get(torrent.toString(), extra);
    }

    private Run get(String torrentOrMagnet, List<String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Distribution.home().resolve("bin/piecework").toString(), "get",
                torrentOrMagnet, "-o", dir.resolve("down").toString(), "--port", "0"));
        command.addAll(extra);
        Path out = dir.resolve("get.out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PIECEWORK_LOG", "info");
        Process p = pb.start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(done, "get finished within 180 s: " + output);
        return new Run(p.exitValue(), output);
    }

    /** Three files, none ending on a piece boundary, one in a sub-folder and with a space in its name. */
    private Path payload() throws IOException {
        Path root = dir.resolve("seed").resolve("web payload");
        write(root.resolve("a.bin"), 3 * 1024 * 1024 + 1_234, 1);
        write(root.resolve("sub/b c.bin"), 2 * 1024 * 1024 - 777, 2);
        write(root.resolve("z.txt"), 1_000, 3);
        return dir.resolve("seed");
    }

    private Path torrent(Path data, List<String> webSeeds) throws Exception {
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data.resolve("web payload"), PIECE, List.of(),
                webSeeds, false, null, 2), CreateProgress.NONE);
        Path torrent = dir.resolve("payload.torrent");
        Files.write(torrent, MetainfoWriter.write(meta));
        return torrent;
    }

    private void assertIdentical(Path torrentFile, Path data) throws Exception {
        TorrentMetainfo meta = io.piecework.metainfo.MetainfoParser.parse(Files.readAllBytes(torrentFile));
        for (FileEntry f : meta.files()) {
            Path rel = Path.of(meta.name(), f.path().toArray(new String[0]));
            assertEquals(-1L, Files.mismatch(data.resolve(rel), dir.resolve("down").resolve(rel)), rel.toString());
        }
    }

    private static void write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(left, chunk.length));
            }
        }
    }
}
