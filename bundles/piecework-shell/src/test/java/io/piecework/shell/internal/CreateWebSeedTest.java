package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.metainfo.MetainfoParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code create --web-seed URL}: http(s) URLs go to url-list (BEP 19); others are refused before hashing. */
class CreateWebSeedTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;

    @BeforeEach
    void captureStreams() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStreams() {
        System.setOut(stdout);
        System.setErr(stderr);
    }

    @Test
    void webSeedsGoToTheUrlListAndOtherSchemesAreRefused() throws Exception {
        Path data = Files.write(dir.resolve("a.bin"), new byte[50_000]);
        Path out = dir.resolve("a.torrent");
        int status = new DirectCli().applyAsInt(new String[] {"create", data.toString(), "-o", out.toString(),
            "--web-seed", "http://127.0.0.1:8080/a.bin", "--web-seed", "https://mirror.example/pub/"});
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("http://127.0.0.1:8080/a.bin", "https://mirror.example/pub/"),
                MetainfoParser.read(out).webSeeds());

        Path bad = dir.resolve("b.torrent");
        for (String url : new String[] {"ftp://h/a.bin", "file:///etc/passwd", "http:///a.bin", "http://h/a b"}) {
            status = new DirectCli().applyAsInt(new String[] {"create", data.toString(), "-o", bad.toString(),
                "--web-seed", url});
            assertEquals(CliException.BAD_INPUT, status, url + ": " + err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("--web-seed " + url), err.toString(StandardCharsets.UTF_8));
            assertFalse(Files.exists(bad));
        }
    }
}
