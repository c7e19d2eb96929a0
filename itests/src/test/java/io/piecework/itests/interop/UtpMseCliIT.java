package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.piecework.itests.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's "done when", as a user runs it: {@code bin/piecework get --peer HOST:PORT} with the
 * default configuration and nothing else known about the peer completes from a libtorrent
 * seeder that accepts only uTP with encryption forced. The dialler tries TCP, uTP in plaintext,
 * then uTP with MSE.
 */
class UtpMseCliIT {
    static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void getWithOnlyThePeersAddressCompletesFromAUtpOnlyEncryptionForcedSeeder() throws Exception {
        SeededPayload payload = SeededPayload.create(dir, 256 * 1024, root -> {
            Payloads.file(root.resolve("video.mkv"), 5 * MIB + 4_321, 51);
            Payloads.file(root.resolve("extras/notes.txt"), MIB - 333, 52);
        });
        try (LibtorrentNode seeder = payload.libtorrentSeed("--utp-only", "--encryption", "forced")) {
            Path out = dir.resolve("get.out");
            long start = System.nanoTime();
            Process get = new ProcessBuilder(List.of(Distribution.home().resolve("bin/piecework").toString(), "get",
                    payload.torrentFile().toString(), "-o", dir.resolve("down").toString(),
                    "--peer", "127.0.0.1:" + seeder.port, "--port", "0"))
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!get.waitFor(180, TimeUnit.SECONDS)) {
                get.destroyForcibly();
                fail("get did not finish within 180 s:\n" + Files.readString(out));
            }
            System.out.println("UtpMseCliIT: get finished in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms (JVM start included)");
            assertEquals(0, get.exitValue(), Files.readString(out));
            payload.assertSameFiles(dir.resolve("down"));
        }
    }
}
