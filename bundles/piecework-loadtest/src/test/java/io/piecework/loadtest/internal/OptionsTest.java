package io.piecework.loadtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void defaultsToOneFastTorrentWithFiftyPeers() {
        Options o = Options.parse(List.of());
        assertEquals(1, o.torrents());
        assertEquals(50, o.peers());
        assertEquals(256L << 20, o.payloadBytes());
        assertEquals(1024, o.pieceCount());
        assertEquals(List.of(), o.strategies());
        assertFalse(o.inbound());
        assertEquals(0, o.churn());
        assertEquals(Optional.empty(), o.csv());
    }

    @Test
    void readsEveryOptionInBothSpellings() {
        Options o = Options.parse(List.of("--torrents", "1000", "--peers=20", "--size", "1", "--piece-length=64",
                "--strategies", "Cached,naive,cached", "--idle", "3", "--timeout=600", "--churn", "0.1",
                "--inbound", "--max-connections", "20000", "--histogram", "5", "--csv", "out.csv"));
        assertEquals(1000, o.torrents());
        assertEquals(20, o.peers());
        assertEquals(16, o.pieceCount());
        assertEquals(List.of("cached", "naive"), o.strategies());
        assertEquals(3, o.idleSeconds());
        assertEquals(600, o.timeoutSeconds());
        assertEquals(0.1, o.churn());
        assertTrue(o.inbound());
        assertEquals(20_000, o.maxConnections());
        assertEquals(5, o.histogram());
        assertEquals(20_000, o.connections());
        assertEquals(Optional.of("out.csv"), o.csv());
    }

    @Test
    void rejectsBadValuesWithTheOptionNamed() {
        assertEquals("unknown option '--peer'", message("--peer", "3"));
        assertEquals("--torrents must be a whole number from 1 to 10000, got '0'", message("--torrents", "0"));
        assertEquals("--piece-length must be a power of two KiB (16, 32, ... 16384), got '100'",
                message("--piece-length", "100"));
        assertEquals("--churn must be a fraction from 0 to 1, got '2'", message("--churn", "2"));
        assertEquals("--size must be a whole number from 1 to 2047, got '4096'", message("--size", "4096"));
        assertEquals("--csv needs a value", message("--csv"));
        assertEquals("bad strategy name 'a b' in --strategies", message("--strategies", "a b"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of(args))).getMessage();
    }

    @Test
    void forkRunsThePeersInAChildJvmThatDialsTheEngine() {
        Options o = Options.parse(List.of("--torrents", "1000", "--peers", "19", "--fork"));
        assertTrue(o.fork());
        assertTrue(o.inbound(), "the child's peers dial the engine");
        // The engine's process holds only its own end of each connection.
        assertEquals(19_000 + 256 + 512, Descriptors.needed(o, 500));
        assertFalse(Options.parse(List.of("--inbound")).fork());
    }
}
