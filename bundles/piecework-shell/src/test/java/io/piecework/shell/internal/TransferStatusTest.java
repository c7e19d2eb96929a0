package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransferStatusTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");

    static TorrentStats stats(TorrentState state, int pieces, int verified, long uploaded, int peers) {
        long piece = 256 * 1024;
        return new TorrentStats(HASH, "x", state, pieces, verified, pieces * piece, verified * piece,
                verified * piece, uploaded, 2 * 1024 * 1024, 0, peers, peers, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Optional.empty());
    }

    @Test
    void downloadingShowsBarPercentBytesRatePeersEtaAndPieces() {
        assertEquals("[######..................]  25%  16.0 MiB of 64.0 MiB  2.0 MiB/s  1 peer  ETA 0:09  pieces 64/256",
                TransferStatus.downloading(stats(TorrentState.DOWNLOADING, 256, 64, 0, 1)));
    }

    @Test
    void aMagnetWithoutMetadataSaysSoInsteadOfAFullBar() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransferStatus status = new TransferStatus(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        status.show(stats(TorrentState.DOWNLOADING, 0, 0, 0, 3));
        assertEquals("fetching metadata  3 peers\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainLinesAreNotRepeatedWithinTheInterval() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransferStatus status = new TransferStatus(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        TorrentStats seeding = stats(TorrentState.SEEDING, 4, 4, 1024, 2);
        status.show(seeding);
        status.show(seeding);
        assertEquals("seeding  uploaded 1.0 KiB  0.0 MiB/s  2 peers\n", out.toString(StandardCharsets.UTF_8));
    }
}
