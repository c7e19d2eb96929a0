package io.piecework.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunModeTest {
    @TempDir
    Path dir;

    @Test
    void noArgumentsOrShellIsTheShellAndDaemonTheDaemon() throws Exception {
        assertEquals(new RunMode(RunMode.Kind.SHELL, Optional.empty()), RunMode.of(new String[0]));
        assertEquals(new RunMode(RunMode.Kind.SHELL, Optional.of(dir)), RunMode.of(new String[] {"shell", "--config", dir.toString()}));
        assertEquals(new RunMode(RunMode.Kind.DAEMON, Optional.of(dir)), RunMode.of(new String[] {"daemon", "--config=" + dir}));
        assertTrue(RunMode.of(new String[] {"daemon"}).daemon());
        assertTrue(RunMode.of(new String[] {"get", "--config", "x"}).subcommand(), "a subcommand parses its own arguments");
    }

    @Test
    void badDaemonArgumentsAreAUsageError() {
        assertTrue(assertThrows(RunMode.UsageException.class, () -> RunMode.of(new String[] {"daemon", "--port", "1"}))
                .getMessage().contains("unexpected '--port'"));
        assertTrue(assertThrows(RunMode.UsageException.class,
                () -> RunMode.of(new String[] {"daemon", "--config", dir.resolve("missing").toString()}))
                .getMessage().contains("not a folder"));
        assertThrows(RunMode.UsageException.class, () -> RunMode.of(new String[] {"daemon", "--config"}));
    }
}
