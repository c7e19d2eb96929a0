package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.MetainfoService;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with the real subcommands over the real metainfo library. */
class CliRunnerTest {
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
        runner.addSubcommand(new CreateCommand(metainfo));
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, dir);
        return runner.run(List.of(args), io);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsSubcommandsInNameOrder() {
        assertEquals(0, run("help"));
        String text = out();
        assertTrue(text.indexOf("  create ") < text.indexOf("  info ") && text.indexOf("  info ") < text.indexOf("  magnet "), text);
        assertEquals("", err());
    }

    @Test
    void noArgumentsOrUnknownSubcommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err().startsWith("piecework: missing subcommand\n"), err());
        assertEquals(2, run("frobnicate"));
        assertTrue(err().startsWith("piecework: unknown subcommand 'frobnicate'\n"), err());
    }

    @Test
    void aNetworkSubcommandWithoutTheEngineFailsAndHelpStillListsIt() {
        assertEquals(1, run("demo"));
        assertTrue(err().startsWith("piecework: demo is not available: the engine did not start"), err());
        assertEquals(0, run("help", "demo"));
        assertTrue(out().contains("usage: piecework demo [--size MiB]"), out());
    }

    @Test
    void removedSubcommandIsNoLongerOffered() {
        MetainfoService metainfo = new MetainfoComponent();
        CliRunner r = new CliRunner();
        InfoCommand info = new InfoCommand(metainfo);
        r.addSubcommand(info);
        r.removeSubcommand(info);
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        assertEquals(2, r.run(List.of("info", "x"), new Io(new PrintStream(new ByteArrayOutputStream()), new PrintStream(e), false, dir)));
    }

    @Test
    void subcommandHelpPrintsItsUsage() {
        assertEquals(0, run("info", "--help"));
        assertEquals("usage: piecework info FILE.torrent\n", out());
        assertEquals(0, run("help", "magnet"));
        assertTrue(out().startsWith("usage: piecework magnet FILE.torrent | --parse MAGNET-URI\n"), out());
    }

    @Test
    void createsThenShowsATorrent() throws Exception {
        Files.writeString(dir.resolve("note.txt"), "hello");
        Path torrent = dir.resolve("note.torrent");
        assertEquals(0, run("create", dir.resolve("note.txt").toString(), "-o", torrent.toString(), "--private"), err());
        assertTrue(out().startsWith("created " + torrent + "\n"), out());
        assertEquals(0, run("info", torrent.toString()), err());
        assertTrue(out().contains("name:         note.txt\n"), out());
        assertTrue(out().contains("private:      yes\n"), out());
        assertTrue(out().contains("  note.txt  5 B\n"), out());
        assertEquals(0, run("magnet", torrent.toString()), err());
        assertTrue(out().startsWith("magnet:?xt=urn:btih:"), out());
    }

    @Test
    void invalidTorrentGivesOneLineNamingFileAndPlace() throws Exception {
        Path bad = dir.resolve("bad.torrent");
        Files.writeString(bad, "d4:infoi1x");
        assertEquals(2, run("info", "bad.torrent"));
        assertEquals("", out());
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("piecework: bad.torrent: "), err());
    }

    @Test
    void relativePathsAreTakenFromTheGivenFolder() throws Exception {
        Files.writeString(dir.resolve("b.txt"), "bee");
        assertEquals(0, run("create", "b.txt", "-o", "b.torrent"), err());
        assertTrue(Files.isRegularFile(dir.resolve("b.torrent")));
        assertEquals(0, run("info", "b.torrent"), err());
        assertEquals(2, run("info", "nothing.torrent"));
        assertEquals("piecework: nothing.torrent: no such file\n", err());
    }

    @Test
    void badPieceLengthIsRefusedBeforeHashingAndWritesNothing() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a");
        assertEquals(2, run("create", dir.resolve("a.txt").toString(), "-o", dir.resolve("a.torrent").toString(),
                "--piece-length", "1000"));
        assertTrue(err().contains("--piece-length must be a power of two"), err());
        assertTrue(err().contains("usage: piecework create "), err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("a.txt"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void emptySourceIsBadInputAndWritesNothing() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path torrent = dir.resolve("empty.torrent");
        assertEquals(2, run("create", empty.toString(), "-o", torrent.toString()));
        assertEquals(1, err().lines().count(), err());
        assertFalse(Files.exists(torrent));
    }
}
