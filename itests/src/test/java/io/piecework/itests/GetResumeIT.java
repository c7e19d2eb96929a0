package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.itests.support.ScriptProcess;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import io.piecework.itests.support.Lines;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/piecework get} killed with SIGKILL mid-transfer from an upload-limited
 * libtorrent seeder, then run again into the same folder: it completes with identical files
 * and downloads at most the pieces that were not verified when it was killed.
 */
class GetResumeIT {
    private static final long MIB = 1 << 20;
    private static final int PIECE = 256 * 1024;
    private static final Pattern PIECES = Pattern.compile("pieces (\\d+)/(\\d+)");
    private static final Pattern DOWNLOADED = Pattern.compile("downloaded (\\d+) bytes");

    @TempDir
    Path dir;

    @Test
    void aKilledGetResumesFromItsVerifiedPieces() throws Exception {
        Path root = dir.resolve("seed").resolve("payload");
        write(root.resolve("a.bin"), 30 * MIB + 1_234, 1);
        write(root.resolve("sub/b.bin"), 18 * MIB - 1_234, 2);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(root, PIECE, List.of(), List.of(), false, null, 2),
                CreateProgress.NONE);
        Path torrent = dir.resolve("payload.torrent");
        Files.write(torrent, MetainfoWriter.write(meta));
        Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
        try (ScriptProcess seeder = ScriptProcess.start(dir.resolve("lt.log"), List.of(ScriptProcess.PYTHON,
                script.toString(), "seed", torrent.toString(), dir.resolve("seed").toString(),
                "--upload-limit", "3000000"))) {
            String peer = "127.0.0.1:" + seeder.await("PORT", 60).split(" ")[1];
            List<String> get = List.of(Distribution.home().resolve("bin/piecework").toString(), "get",
                    torrent.toString(), "-o", dir.resolve("down").toString(), "--peer", peer, "--port", "0");

            // First run: killed once a quarter of the pieces is verified.
            ProcessBuilder killed = new ProcessBuilder(get).redirectOutput(dir.resolve("first.out").toFile());
            // Its framework storage outlives the SIGKILL: in this test's folder, not in /dev/shm.
            killed.environment().put("XDG_RUNTIME_DIR", dir.toString());
            Process first = killed.start();
            BlockingQueue<String> lines = stderrLines(first);
            int verifiedAtKill = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (verifiedAtKill < meta.pieceCount() / 4) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    first.destroyForcibly();
                    fail("get showed no quarter of the pieces within 120 s");
                }
                Matcher m = PIECES.matcher(line);
                if (m.find()) {
                    verifiedAtKill = Integer.parseInt(m.group(1));
                }
            }
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no final save
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, first.exitValue(), "killed by SIGKILL");
            assertTrue(verifiedAtKill < meta.pieceCount(), "killed mid-transfer");

            // Second run: completes, taking from the peer only what the first did not verify.
            Process second = new ProcessBuilder(get).redirectError(dir.resolve("second.err").toFile()).start();
            assertTrue(second.waitFor(180, TimeUnit.SECONDS), "the second get finished");
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, second.exitValue(), out + Files.readString(dir.resolve("second.err")));
            Matcher m = DOWNLOADED.matcher(out);
            assertTrue(m.find(), out);
            long downloaded = Long.parseLong(m.group(1));
            long bound = (long) (meta.pieceCount() - verifiedAtKill) * PIECE;
            assertTrue(downloaded <= bound, "downloaded " + downloaded + " bytes again, more than the "
                    + (meta.pieceCount() - verifiedAtKill) + " pieces unverified at the kill (" + bound + " bytes)");
            assertTrue(downloaded > 0, "something was left to download");
        }
        for (FileEntry f : meta.files()) {
            if (!f.padding()) {
                Path rel = Path.of(meta.name(), f.path().toArray(new String[0]));
                assertEquals(-1L, Files.mismatch(dir.resolve("seed").resolve(rel), dir.resolve("down").resolve(rel)), rel.toString());
            }
        }
    }

    private static BlockingQueue<String> stderrLines(Process p) {
        return Lines.follow(p.getErrorStream(), "get-stderr");
    }

    private static void write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(left, chunk.length));
            }
        }
    }
}
