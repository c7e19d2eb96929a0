package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rates given on the command line and in the shell: KiB/s, 0 or more, anything else a clear error. */
class LimitOptionsTest {
    private static Args get(String... args) throws CliException {
        return Args.parse(List.of(args), Set.of("--limit-down", "--limit-up"), Set.of());
    }

    @Test
    void getTakesKibPerSecondAndAbsentIsUnlimited() throws CliException {
        Args a = get("x.torrent", "--limit-down", "10240");
        assertEquals(10L << 20, GetCommand.kib(a, "--limit-down"));
        assertEquals(0, GetCommand.kib(a, "--limit-up"));
    }

    @Test
    void getRefusesNegativeHugeAndNonNumericRates() throws CliException {
        for (String bad : new String[] {"-1", "fast", "99999999999", "1.5"}) {
            Args a = get("x.torrent", "--limit-up", bad);
            CliException e = assertThrows(CliException.class, () -> GetCommand.kib(a, "--limit-up"));
            assertTrue(e.getMessage().contains("--limit-up") && e.getMessage().contains("KiB/s"), e.getMessage());
        }
    }

    @Test
    void shellRatesAreCheckedTheSameWay() {
        assertEquals(50, LimitCommand.kib("50"));
        GogoCommands.ShellError e = assertThrows(GogoCommands.ShellError.class, () -> LimitCommand.kib("-5"));
        assertTrue(e.getMessage().contains("KiB/s"), e.getMessage());
    }
}
