package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GetSummaryTest {
    @Test
    void lockLineShowsWaitAsShareOfTheRunsWallTime() {
        TorrentStats s = new TorrentStats(InfoHash.parse("0123456789abcdef0123456789abcdef01234567"), "x",
                TorrentState.SEEDING, 4, 4, 4, 4, 4, 0, 0, 0, 1, 1, 0,
                1000, 40_000_000, 250_000_000, 0, 2_048, 256, 4_096, 10, 0, 0, Optional.empty());
        assertEquals("torrent lock: 1000 acquisitions, waited 40.0 ms (1.00% of 4.0 s), held 250.0 ms; "
                + "wait p99 2.0 us, hold p99 4.1 us; 0 handed to the holder", GetCommand.lockLine(s, 4.0));
    }

    @Test
    void lockLineCountsWorkHandedToTheHolder() {
        TorrentStats s = new TorrentStats(InfoHash.parse("0123456789abcdef0123456789abcdef01234567"), "x",
                TorrentState.SEEDING, 4, 4, 1 << 20, 1 << 20, 1 << 20, 0, 0, 0, 1, 1, 0,
                1_000, 20_000_000L, 300_000_000L, 0, 0, 0, 0, 4_000, 10, 0, 0, Optional.empty());
        assertEquals("torrent lock: 1000 acquisitions, waited 20.0 ms (1.00% of 2.0 s), held 300.0 ms; "
                + "wait p99 0.0 us, hold p99 0.0 us; 4000 handed to the holder", GetCommand.lockLine(s, 2.0));
    }
}
