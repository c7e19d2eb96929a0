package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.MetainfoService;
import io.piecework.bencode.Bencode;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a torrent or magnet says reaches the terminal escaped, and no valid field (a creation
 * date near the ends of the 64-bit range) breaks {@code info} half-way.
 */
class HostileTextTest {
    private static final String ESC = "\u001b]0;owned\u0007\u001b[2J";
    private static final String RLO = "\u202e";
    @TempDir
    Path dir;
    private final CliRunner runner = new CliRunner();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void bindSubcommands() {
        MetainfoService metainfo = new MetainfoComponent();
        runner.addSubcommand(new MagnetCommand(metainfo));
        runner.addSubcommand(new InfoCommand(metainfo));
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, dir);
        return runner.run(List.of(args), io);
    }

    private static void assertNoControls(String text) {
        text.codePoints().filter(c -> c != '\n').forEach(c -> assertTrue(
                c >= 0x20 && (c < 0x7f || c > 0x9f) && c != 0x202e,
                "control U+" + Integer.toHexString(c) + " in: " + text));
    }

    private Path torrent(Map<String, Object> top) throws Exception {
        Path p = dir.resolve("t.torrent");
        Files.write(p, Bencode.encodeObject(top));
        return p;
    }

    private static Map<String, Object> hostile(long creationDate) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "n" + ESC + RLO);
        info.put("piece length", 16384L);
        info.put("pieces", new byte[20]);
        info.put("files", List.of(Map.of("length", 5L, "path", List.of("d" + RLO + "x", "f" + ESC))));
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("announce-list", List.of(List.of("http://t" + ESC + "/a")));
        top.put("comment", "c" + ESC + RLO + "\u009b31m");
        top.put("created by", "b" + ESC);
        top.put("creation date", creationDate);
        top.put("info", info);
        top.put("url-list", List.of("http://w" + ESC + "/"));
        return top;
    }

    @Test
    void infoShowsEveryTextOfTheTorrentEscaped() throws Exception {
        torrent(hostile(0));
        assertEquals(0, run("info", "t.torrent"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertNoControls(text);
        assertTrue(text.contains("comment:      c\\u001b]0;owned\\u0007\\u001b[2J\\u202e\\u009b31m"), text);
        assertTrue(text.contains("  tier 1: http://t\\u001b]0;owned"), text);
        assertTrue(text.contains("created:      1970-01-01T00:00:00Z"), text);
    }

    @Test
    void creationDatesAtTheEndsOfTheRangeArePrintedNotFatal() throws Exception {
        for (long date : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 31556889864403200L, -31557014167219201L}) {
            torrent(hostile(date));
            assertEquals(0, run("info", "t.torrent"), date + ": " + err);
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("created:      " + date + " (seconds since 1970: not a date)"), text);
            assertTrue(text.contains("web seeds:"), "the whole output: " + text);
        }
        assertEquals("+1000000000-12-31T23:59:59Z", InfoCommand.date(31556889864403199L));
    }

    @Test
    void magnetParseShowsTheNameTrackersAndErrorsEscaped() {
        String hash = "ab".repeat(20);
        assertEquals(0, run("magnet", "--parse", "magnet:?xt=urn:btih:" + hash + "&dn=x%1B%5B2J%E2%80%AE&tr=udp%3A%2F%2Ft%07:1"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertNoControls(text);
        assertTrue(text.contains("name:         x\\u001b[2J\\u202e"), text);

        assertEquals(2, run("magnet", "--parse", "magnet:?xt=urn:btih:%1B%5B2J" + "0".repeat(36)));
        String error = err.toString(StandardCharsets.UTF_8);
        assertNoControls(error);
        assertEquals(1, error.lines().count(), error);
    }

    @Test
    void anUnknownSubcommandIsEchoedEscaped() {
        assertEquals(2, run("x" + ESC));
        assertNoControls(err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMagnetIsRecognisedInAnyCase() {
        assertTrue(GetCommand.isMagnet("MAGNET:?XT=urn:btih:00"));
        assertTrue(GetCommand.isMagnet("Magnet:?xt=urn:btih:00"));
        assertTrue(!GetCommand.isMagnet("magnet.torrent"));
    }
}
