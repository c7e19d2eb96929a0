package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** get ends with the torrent lock's figures, so a download's lock wait can be read off any run. */
class GetLockFiguresTest {
    @Test
    void showsWaitAsShareOfTheDownloadHoldAcquisitionsAndHandoffs() {
        TorrentStats s = new TorrentStats(InfoHash.parse("0123456789abcdef0123456789abcdef01234567"), "x",
                TorrentState.SEEDING, 4, 4, 1 << 20, 1 << 20, 1 << 20, 0, 0, 0, 1, 1, 0,
                1_000, 20_000_000L, 300_000_000L, 0, 0, 0, 0, 4_000, 10, 0, 0, Optional.empty());
        assertEquals("lock: waited 20.0 ms (1.000 % of 2.0 s), held 300.0 ms, 1000 acquisitions, 4000 handed to the holder",
                GetCommand.lockFigures(s, 2.0));
    }
}
