package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner the launcher uses without the framework: it finds the metainfo service through
 * ServiceLoader and offers exactly the subcommands that need nothing else.
 */
class DirectCliTest {
    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;

    @BeforeEach
    void captureStreams() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStreams() {
        System.setOut(stdout);
        System.setErr(stderr);
    }

    @Test
    void runsAMetainfoSubcommandWithTheServiceFromServiceLoader() {
        int status = new DirectCli().applyAsInt(new String[] {"magnet", "--parse", "magnet:?xt=urn:btih:" + HASH});
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("info-hash:    " + HASH), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void offersInfoMagnetAndCreateOnly() {
        assertEquals(0, new DirectCli().applyAsInt(new String[] {"help"}));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String name : new String[] {"info", "magnet", "create"}) {
            assertTrue(help.contains("  " + name + " "), help);
        }
        // A network subcommand is named in help but cannot run here: no engine, status 1.
        assertEquals(1, new DirectCli().applyAsInt(new String[] {"get", "x.torrent"}));
    }
}
