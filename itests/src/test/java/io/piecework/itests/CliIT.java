package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.piecework.bencode.Bencode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/piecework as a user runs it: a separate process, exit status, stdout and stderr. Bad
 * input must give status 2, exactly one line on stderr, and leave nothing behind.
 */
class CliIT {
    private static final long TIMEOUT_S = 60;

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    private Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Distribution.home().resolve("bin/piecework").toString());
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile("piecework-out-", ".txt");
        Path err = Files.createTempFile("piecework-err-", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().remove("PIECEWORK_LOG");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("bin/piecework " + String.join(" ", args) + " did not finish within " + TIMEOUT_S + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Status 2, one line on stderr naming the problem, nothing on stdout. */
    private void assertBadInput(Result r, String expectedInError) {
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.errLines().size(), "one error line, got: " + r.err());
        assertTrue(r.err().startsWith("piecework: "), r.err());
        assertTrue(r.err().contains(expectedInError), "'" + expectedInError + "' not in: " + r.err());
        assertEquals("", r.out());
    }

    private Path folder() throws IOException {
        Path root = dir.resolve("photos");
        Files.createDirectories(root.resolve("2024"));
        Files.write(root.resolve("a.jpg"), new byte[50_000]);
        Files.writeString(root.resolve("2024/b.txt"), "piecework");
        return root;
    }

    private static String field(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + ":")).findFirst()
                .map(l -> l.substring(name.length() + 1).trim())
                .orElseThrow(() -> new AssertionError("no '" + name + "' in:\n" + text));
    }

    @Test
    void createsATorrentThenShowsItAndItsMagnet() throws Exception {
        folder();
        Result created = run("create", "photos", "-o", "photos.torrent", "--piece-length", "16k",
                "--tracker", "http://127.0.0.1:6969/announce", "--comment", "holiday", "--threads", "2");
        assertEquals(0, created.status(), created.toString());
        assertEquals("", created.err(), "quiet by default, and no progress when not on a terminal");
        assertTrue(Files.size(dir.resolve("photos.torrent")) > 0);

        Result info = run("info", "photos.torrent");
        assertEquals(0, info.status(), info.toString());
        assertEquals("", info.err());
        assertEquals("photos", field(info.out(), "name"));
        assertEquals("48.8 KiB (50009 bytes)", field(info.out(), "total size"));
        assertEquals("4 x 16.0 KiB (16384 bytes)", field(info.out(), "pieces"));
        assertEquals("holiday", field(info.out(), "comment"));
        assertTrue(info.out().contains("  2024/b.txt  9 B"), info.out());
        assertTrue(info.out().contains("  tier 1: http://127.0.0.1:6969/announce"), info.out());
        String hash = field(info.out(), "info-hash");
        assertEquals(field(created.out(), "info-hash"), hash);

        Result magnet = run("magnet", "photos.torrent");
        assertEquals(0, magnet.status(), magnet.toString());
        String uri = magnet.out().trim();
        assertTrue(uri.startsWith("magnet:?xt=urn:btih:" + hash), uri);

        Result parsed = run("magnet", "--parse", uri);
        assertEquals(0, parsed.status(), parsed.toString());
        assertEquals(hash, field(parsed.out(), "info-hash"));
        assertEquals("photos", field(parsed.out(), "name"));
    }

    @Test
    void createKeepsAnExistingTorrentUnlessForced() throws Exception {
        folder();
        Path out = dir.resolve("photos.torrent");
        Files.writeString(out, "keep me");
        assertBadInput(run("create", "photos", "-o", "photos.torrent"), "already exists");
        assertEquals("keep me", Files.readString(out));
        assertNoTemporaryFiles();

        Result forced = run("create", "photos", "-o", "photos.torrent", "--force");
        assertEquals(0, forced.status(), forced.toString());
        assertEquals('d', Files.readAllBytes(out)[0]);
        assertNoTemporaryFiles();
    }

    @Test
    void createFromAMissingFolderWritesNothing() throws Exception {
        assertBadInput(run("create", "nowhere", "-o", "x.torrent"), "nowhere: no such file or folder");
        assertFalse(Files.exists(dir.resolve("x.torrent")));
        assertNoTemporaryFiles();
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> parts = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
            assertEquals(List.of(), parts);
        }
    }

    private Path torrent(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] valid() {
        return Bencode.encodeObject(Map.of("announce", "http://127.0.0.1:6969/announce",
                "info", Map.of("name", "a.txt", "length", 5L, "piece length", 16384L, "pieces", new byte[20])));
    }

    @Test
    void validHandcraftedTorrentIsAccepted() throws Exception {
        torrent("ok.torrent", valid());
        Result r = run("info", "ok.torrent");
        assertEquals(0, r.status(), r.toString());
        assertEquals("a.txt", field(r.out(), "name"));
    }

    @Test
    void truncatedTorrentIsBadInput() throws Exception {
        byte[] v = valid();
        torrent("cut.torrent", Arrays.copyOf(v, v.length / 2));
        assertBadInput(run("info", "cut.torrent"), "cut.torrent: ");
    }

    @Test
    void corruptBencodeIsBadInput() throws Exception {
        torrent("bad.torrent", "d8:announce3:abci12x4e".getBytes(StandardCharsets.US_ASCII));
        assertBadInput(run("info", "bad.torrent"), "bad.torrent: ");
    }

    @Test
    void deeplyNestedTorrentIsBadInput() throws Exception {
        String nested = "d4:info" + "l".repeat(10_000) + "e".repeat(10_000) + "e";
        torrent("deep.torrent", nested.getBytes(StandardCharsets.US_ASCII));
        assertBadInput(run("info", "deep.torrent"), "deep.torrent: ");
    }

    @Test
    void oversizedTorrentIsBadInput() throws Exception {
        Path big = dir.resolve("big.torrent");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((64L << 20) + 1); // one byte over the parser's 64 MiB limit; sparse
        }
        assertBadInput(run("info", "big.torrent"), "big.torrent: ");
    }

    @Test
    void pathTraversingTorrentIsBadInput() throws Exception {
        Map<String, Object> info = Map.of("name", "innocent", "piece length", 16384L, "pieces", new byte[20],
                "files", List.of(Map.of("length", 5L, "path", List.of("..", "..", "etc", "passwd"))));
        torrent("evil.torrent", Bencode.encodeObject(Map.of("info", info)));
        assertBadInput(run("info", "evil.torrent"), "evil.torrent: ");
        assertBadInput(run("magnet", "evil.torrent"), "evil.torrent: ");
    }

    @Test
    void malformedMagnetIsBadInput() throws Exception {
        assertBadInput(run("magnet", "--parse", "magnet:?xt=urn:btih:not-a-hash"), "magnet URI: ");
        assertBadInput(run("magnet", "--parse", "http://example.invalid/"), "magnet URI: ");
    }

    @Test
    void missingFileIsBadInput() throws Exception {
        assertBadInput(run("info", "missing.torrent"), "missing.torrent: no such file");
    }

    @Test
    void badUsageGivesStatus2AndTheUsage() throws Exception {
        for (String[] args : List.of(new String[] {"info"}, new String[] {"info", "a", "b"},
                new String[] {"create", "x"}, new String[] {"create", "x", "-o", "y", "--piece-length", "1000"},
                new String[] {"magnet", "--bogus"})) {
            Result r = run(args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r);
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("piecework: "), r.err());
            assertTrue(r.err().contains("usage: piecework " + args[0]), r.err());
        }
        Result unknown = run("frobnicate");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("piecework: unknown subcommand 'frobnicate'"), unknown.err());
    }

    @Test
    void concurrentRunsDoNotClash() throws Exception {
        torrent("ok.torrent", valid());
        List<CompletableFuture<Result>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return run("info", "ok.torrent");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (var r : runs) {
            Result result = r.get(2 * TIMEOUT_S, TimeUnit.SECONDS);
            assertEquals(0, result.status(), result.toString());
            assertEquals("", result.err());
        }
    }

    @Test
    void helpListsTheSubcommands() throws Exception {
        Result r = run("help");
        assertEquals(0, r.status(), r.toString());
        for (String name : List.of("info", "create", "magnet", "help")) {
            assertTrue(r.out().contains("  " + name + " "), r.out());
        }
        Result create = run("help", "create");
        assertEquals(0, create.status(), create.toString());
        assertTrue(create.out().startsWith("usage: piecework create PATH -o OUT.torrent"), create.out());
    }

    @Test
    void getAndSeedReportBadInputOnOneLine() throws Exception {
        torrent("ok.torrent", valid());
        Files.createDirectories(dir.resolve("data"));
        assertBadInput(run("get", "missing.torrent", "--port", "0"), "missing.torrent: no such file");
        assertBadInput(run("get", "ok.torrent", "--peer", "localhost", "--port", "0"), "bad peer 'localhost'");
        assertBadInput(run("get", "ok.torrent", "--peer", "127.0.0.1:99999", "--port", "0"), "port must be");
        assertBadInput(run("get", "ok.torrent", "--port", "70000"), "bad --port");
        assertBadInput(run("get", "ok.torrent", "--port", "x"), "bad --port");
        assertBadInput(run("get", "magnet:?xt=urn:btih:nothex", "--port", "0"), "magnet URI");
        assertBadInput(run("seed", "missing.torrent", "--data", "data", "--port", "0"), "missing.torrent: no such file");
        assertBadInput(run("seed", "ok.torrent", "--data", "nowhere", "--port", "0"), "nowhere: no such folder");
        assertBadInput(run("seed", "ok.torrent", "--data", "data", "--port", "-1"), "bad --port");
        assertBadInput(run("get", "ok.torrent", "--dht-bootstrap", "127.0.0.1", "--port", "0"),
                "bad --dht-bootstrap '127.0.0.1': expected HOST:PORT");
        assertBadInput(run("get", "magnet:?xt=urn:btih:" + "ab".repeat(20), "--dht-bootstrap", "127.0.0.1:6881",
                "--dht-bootstrap=127.0.0.1:0", "--port", "0"), "bad --dht-bootstrap '127.0.0.1:0'");
        assertBadInput(run("seed", "ok.torrent", "--data", "data", "--dht-bootstrap", "127.0.0.1:70000", "--port", "0"),
                "bad --dht-bootstrap '127.0.0.1:70000': port must be");
        assertFalse(Files.exists(dir.resolve(".piecework")), "bad input leaves no resume data");
    }

    @Test
    void helpListsTheNetworkSubcommandsToo() throws Exception {
        Result r = run("help");
        for (String name : List.of("get", "seed", "demo")) {
            assertTrue(r.out().contains("  " + name + " "), r.out());
        }
        Result get = run("help", "get");
        assertEquals(0, get.status(), get.toString());
        assertTrue(get.out().startsWith("usage: piecework get FILE.torrent"), get.out());
    }

    @Test
    void demoPassesOnLoopback() throws Exception {
        Result r = run("demo", "--size", "16");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("byte for byte identical"), r.out());
        assertTrue(r.out().contains("demo passed"), r.out());
        assertTrue(r.out().contains("strategy cached"), "the shipped default strategy: " + r.out());
    }

    @Test
    void compareMeasuresEveryInstalledStrategy() throws Exception {
        Result r = run("compare", "--torrents", "4", "--peers", "3", "--seconds", "1");
        assertEquals(0, r.status(), r.toString());
        String header = r.out().lines().filter(l -> l.contains("cached")).findFirst().orElse("");
        for (String name : List.of("naive", "cached", "batched")) {
            assertTrue(header.contains(name), "a column for " + name + ": " + r.out());
        }
        assertTrue(r.out().contains("CPU/update (us)"), r.out());
        Result bad = run("compare", "--torrents", "many");
        assertEquals(2, bad.status(), bad.toString());
        assertTrue(bad.errLines().get(0).contains("--torrents"), bad.err());
        assertTrue(bad.errLines().get(1).startsWith("usage: piecework compare"), bad.err());
    }
}
