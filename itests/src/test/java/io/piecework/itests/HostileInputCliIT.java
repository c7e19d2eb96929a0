package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.piecework.bencode.Bencode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/piecework fed what an attacker would feed it: torrents built to exhaust the heap (run
 * with the heap capped at 256 MiB, so each limit must trip long before memory runs out),
 * fields at the ends of their range, escape sequences and bidi overrides in every text, and
 * bad input while another program holds the DHT port.
 */
class HostileInputCliIT {
    private static final long TIMEOUT_S = 120;
    private static final String CAPPED_HEAP = "-Xmx256m";
    private static final String ESC = "\u001b]0;owned\u0007\u001b[2J";
    private static final String RLO = "\u202e";

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    private Result run(String... args) throws Exception {
        return runWith(null, args);
    }

    private Result runWith(String javaOpts, String... args) throws Exception {
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
            if (javaOpts != null) {
                pb.environment().put("PIECEWORK_JAVA_OPTS", javaOpts);
            }
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
    private static void assertBadInput(Result r, String expectedInError) {
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.errLines().size(), "one error line, got: " + r.err());
        assertTrue(r.err().startsWith("piecework: "), r.err());
        assertTrue(r.err().contains(expectedInError), "'" + expectedInError + "' not in: " + r.err());
        assertEquals("", r.out());
    }

    /** No character a terminal would act on: C0 (but the new line), DEL, C1, bidi controls. */
    private static void assertPrintable(String text) {
        text.codePoints().filter(c -> c != '\n').forEach(c -> assertTrue(
                c >= 0x20 && (c < 0x7f || c > 0x9f) && (c < 0x202a || c > 0x202e) && (c < 0x2066 || c > 0x2069),
                "control U+" + Integer.toHexString(c) + " printed in: " + text));
    }

    private Path torrent(String name, Object top) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, top instanceof byte[] b ? b : Bencode.encodeObject(top));
        return p;
    }

    /** A multi-file torrent of {@code count} one-byte files, each below the given folders. */
    private static Map<String, Object> files(int count, List<Object> folders) {
        List<Object> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Object> path = new ArrayList<>(folders);
            path.add("f" + i);
            files.add(Map.of("length", 1L, "path", path));
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("files", files);
        info.put("name", "hostile");
        info.put("piece length", 16384L);
        info.put("pieces", new byte[((count - 1) / 16384 + 1) * 20]);
        return Map.of("info", info);
    }

    // 3: memory

    @Test
    void theAttackRunsDeepPathsTorrentIsRefusedWithAHeapOf256MiB() throws Exception {
        // The attack run's torrent: 2,600 files, each 1,500 folders deep, in 12 MB. The old
        // duplicate check built every prefix of every path: 6 GB, then OutOfMemoryError. Its
        // 3.9 million path components trip the value limit before anything else.
        torrent("deep.torrent", files(2600, new ArrayList<>(Collections.nCopies(1499, "a"))));
        assertTrue(Files.size(dir.resolve("deep.torrent")) > 11_000_000);
        assertBadInput(runWith(CAPPED_HEAP, "info", "deep.torrent"), "deep.torrent: byte ");
        assertBadInput(runWith(CAPPED_HEAP, "info", "deep.torrent"), "more than 1048576 values");
        assertBadInput(runWith(CAPPED_HEAP, "get", "deep.torrent", "--port", "0"), "more than 1048576 values");
        assertFalse(Files.exists(dir.resolve("hostile")), "nothing created");
    }

    @Test
    void deepPathsWithinTheValueLimitAreRefusedByTheDepthLimitWithAHeapOf256MiB() throws Exception {
        // 600 files 1,500 deep, each in a folder of its own: 900,000 values, and 1.3 GB of
        // distinct path prefixes kept by the old check.
        Map<String, Object> top = files(600, new ArrayList<>(Collections.nCopies(1498, "a")));
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) ((Map<String, Object>) top.get("info")).get("files");
        for (int i = 0; i < list.size(); i++) {
            @SuppressWarnings("unchecked")
            List<Object> path = new ArrayList<>((List<Object>) ((Map<String, Object>) list.get(i)).get("path"));
            path.add(0, "d" + i);
            list.set(i, Map.of("length", 1L, "path", path));
        }
        torrent("deep.torrent", top);
        assertBadInput(runWith(CAPPED_HEAP, "info", "deep.torrent"),
                "deep.torrent: info.files[0].path: path of 1500 components is deeper than the limit of 128");
        assertBadInput(runWith(CAPPED_HEAP, "magnet", "deep.torrent"), "deeper than the limit of 128");
    }

    @Test
    void millionsOfValuesAreRefusedByTheValueLimitWithAHeapOf256MiB() throws Exception {
        // 3 million empty dictionaries: 6 MB of input, ~400 MB as decoded objects.
        StringBuilder sb = new StringBuilder("d4:infod6:lengthi1e4:name1:x12:piece lengthi16384e6:pieces20:");
        sb.append("\0".repeat(20)).append("e1:xl").append("de".repeat(3_000_000)).append("ee");
        torrent("values.torrent", sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertBadInput(runWith(CAPPED_HEAP, "info", "values.torrent"), "more than 1048576 values");
    }

    @Test
    void pathsThatGrowWhenSanitisedAreRefusedByTheTotalPathLimit() throws Exception {
        // Bytes that are not UTF-8 become %XX: 6 MB of names become 17 MB of paths.
        byte[] legacy = new byte[80];
        Arrays.fill(legacy, (byte) 0xff);
        torrent("legacy.torrent", files(6000, new ArrayList<>(Collections.nCopies(12, legacy))));
        assertBadInput(runWith(CAPPED_HEAP, "info", "legacy.torrent"), "exceed the limit of 16777216 bytes in all");
    }

    @Test
    void aTorrentJustInsideThePathLimitsIsReadWithAHeapOf256MiB() throws Exception {
        byte[] legacy = new byte[80];
        Arrays.fill(legacy, (byte) 0xfe);
        torrent("big.torrent", files(5000, new ArrayList<>(Collections.nCopies(12, legacy))));
        Result r = runWith(CAPPED_HEAP, "info", "big.torrent");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("files:        5000 (in folder hostile)"), r.out().lines().limit(12).toList()::toString);
    }

    @Test
    void aHugeCommentIsRefusedByTheTextLimit() throws Exception {
        Map<String, Object> top = new LinkedHashMap<>(files(1, List.of()));
        top.put("comment", "x".repeat(15 << 20));
        torrent("comment.torrent", top);
        assertBadInput(runWith(CAPPED_HEAP, "info", "comment.torrent"),
                "comment: text of 15728640 bytes is longer than the limit of 65536");
    }

    // 7: every valid field prints

    @Test
    void creationDatesAtBothEndsOfTheLongRangePrintInFull() throws Exception {
        for (long date : new long[] {Long.MAX_VALUE, Long.MIN_VALUE}) {
            Map<String, Object> top = new LinkedHashMap<>(files(1, List.of()));
            top.put("creation date", date);
            top.put("url-list", List.of("http://seed.example/"));
            torrent("date.torrent", top);
            Result r = run("info", "date.torrent");
            assertEquals(0, r.status(), r.toString());
            assertEquals("", r.err());
            assertTrue(r.out().contains("created:      " + date + " (seconds since 1970: not a date)"), r.out());
            assertTrue(r.out().contains("  http://seed.example/"), "printed to the end: " + r.out());
        }
    }

    // 8: terminal injection

    @Test
    void infoShowsEveryTextOfATorrentEscaped() throws Exception {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("files", List.of(Map.of("length", 5L, "path", List.of("d" + RLO + "gpj.exe", "f" + ESC))));
        info.put("name", "n" + ESC);
        info.put("piece length", 16384L);
        info.put("pieces", new byte[20]);
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("announce", "http://t" + ESC + "/announce");
        top.put("comment", "c" + ESC + RLO + "\u009b31m");
        top.put("created by", "b" + ESC);
        top.put("info", info);
        top.put("url-list", "http://w" + ESC + "/");
        torrent("esc.torrent", top);
        Result r = run("info", "esc.torrent");
        assertEquals(0, r.status(), r.toString());
        assertPrintable(r.out());
        assertTrue(r.out().contains("comment:      c\\u001b]0;owned\\u0007\\u001b[2J\\u202e\\u009b31m"), r.out());
        assertTrue(r.out().contains("  d_gpj.exe/f_]0;owned__[2J  5 B"), "names on disk carry no controls: " + r.out());
        Result magnet = run("magnet", "esc.torrent");
        assertEquals(0, magnet.status(), magnet.toString());
        assertPrintable(magnet.out());
    }

    @Test
    void magnetsAndErrorsAreShownEscaped() throws Exception {
        String hash = "ab".repeat(20);
        Result parsed = run("magnet", "--parse", "magnet:?xt=urn:btih:" + hash + "&dn=x%1B%5B2J%E2%80%AE&tr=http%3A%2F%2Ft%07%2F");
        assertEquals(0, parsed.status(), parsed.toString());
        assertPrintable(parsed.out());
        assertTrue(parsed.out().contains("name:         x\\u001b[2J\\u202e"), parsed.out());

        String badHash = "magnet:?xt=urn:btih:%1B%5B2J%E2%80%AE" + "0".repeat(35);
        Result bad = run("magnet", "--parse", badHash);
        assertBadInput(bad, "magnet URI: xt: info-hash '\\u001b[2J\\u202e");
        assertPrintable(bad.err());
        Result get = run("get", badHash, "--port", "0");
        assertBadInput(get, "magnet URI: xt: info-hash '\\u001b[2J\\u202e");
        assertPrintable(get.err());

        torrent("key.torrent", "d4:infod5:x\u001b[2Ji1e5:x\u001b[2Ji1eee".getBytes(StandardCharsets.ISO_8859_1));
        Result key = run("info", "key.torrent");
        assertBadInput(key, "duplicate dictionary key 'x\\u001b[2J'");
        assertPrintable(key.err());
    }

    // 9a, 9c

    @Test
    void anUpperCaseMagnetIsAMagnetForGetToo() throws Exception {
        assertEquals(0, run("magnet", "--parse", "MAGNET:?XT=URN:BTIH:" + "ab".repeat(20)).status());
        assertBadInput(run("get", "MAGNET:?XT=urn:btih:nothex", "--port", "0"), "magnet URI: xt: info-hash must be");
    }

    @Test
    void anOversizedTorrentIsNamedOnce() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("huge.torrent").toFile(), "rw")) {
            f.setLength(100L << 20); // sparse
        }
        Result r = run("info", "huge.torrent");
        assertBadInput(r, "huge.torrent: file size: 104857600 bytes exceeds the limit of 16777216 bytes");
        assertEquals(r.err().indexOf("huge.torrent"), r.err().lastIndexOf("huge.torrent"), r.err());
    }

    // 10: input first, network after

    @Test
    void badInputIsOneLineEvenWhileAnotherProgramHoldsTheDhtPort() throws Exception {
        // The distribution's DHT port (load/io.piecework.dht.cfg, default 6881). If another
        // program holds it already, that is the very case; else hold it here for the run.
        int port = dhtPort();
        try (DatagramSocket held = holdIfFree(port)) {
            torrent("cut.torrent", "d4:infod4:name".getBytes(StandardCharsets.US_ASCII));
            assertBadInput(run("get", "missing.torrent", "--port", "0"), "missing.torrent: no such file");
            assertBadInput(run("get", "cut.torrent", "--port", "0"), "cut.torrent: ");
            assertBadInput(run("seed", "cut.torrent", "--data", ".", "--port", "0"), "cut.torrent: ");
        }
    }

    private static int dhtPort() throws IOException {
        Path cfg = Distribution.home().resolve("load/io.piecework.dht.cfg");
        if (Files.isRegularFile(cfg)) {
            for (String line : Files.readAllLines(cfg)) {
                String l = line.trim();
                if (l.startsWith("port") && l.contains("=")) {
                    return Integer.parseInt(l.substring(l.indexOf('=') + 1).trim());
                }
            }
        }
        return 6881;
    }

    /** The port bound on the wildcard address, or null when someone else holds it already. */
    private static DatagramSocket holdIfFree(int port) {
        try {
            return new DatagramSocket(new InetSocketAddress(port));
        } catch (SocketException taken) {
            return null;
        }
    }
}
