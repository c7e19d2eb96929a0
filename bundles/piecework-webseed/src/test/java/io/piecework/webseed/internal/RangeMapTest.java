package io.piecework.webseed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.webseed.internal.RangeMap.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeMapTest {
    @Test
    void mapsARangeOfASingleFileOntoItself() {
        TorrentMetainfo t = Torrents.single("a.bin", 100_000, 32_768, List.of());
        assertEquals(List.of(new Segment(0, 32_768, 16_384)), new RangeMap(t.files()).segments(32_768, 16_384));
    }

    @Test
    void mapsTheLastShortPieceToTheEndOfTheFile() {
        TorrentMetainfo t = Torrents.single("a.bin", 100_000, 32_768, List.of());
        long lastStart = 3L * 32_768;
        assertEquals(t.pieceSize(3), 100_000 - lastStart);
        assertEquals(List.of(new Segment(0, lastStart, 100_000 - lastStart)),
                new RangeMap(t.files()).segments(lastStart, t.pieceSize(3)));
    }

    @Test
    void splitsAPieceThatSpansFilesAtEachBoundary() {
        TorrentMetainfo t = Torrents.multi("dir", 32_768, List.of(), "a", 20_000, "b", 5_000, "c/d", 40_000);
        // Piece 0 covers a (20000), b (5000) and the first 7768 bytes of c/d.
        assertEquals(List.of(new Segment(0, 0, 20_000), new Segment(1, 0, 5_000), new Segment(2, 0, 7_768)),
                new RangeMap(t.files()).segments(0, 32_768));
        // Piece 1 starts inside c/d.
        assertEquals(List.of(new Segment(2, 7_768, 32_232)), new RangeMap(t.files()).segments(32_768, 32_232));
    }

    @Test
    void stepsOverEmptyFilesAndKeepsPadFilesAsSegments() {
        TorrentMetainfo t = Torrents.multi("dir", 16_384, List.of(), "a", 10_000, "empty", 0, ".pad/6384", 6_384,
                "b", 16_384);
        assertEquals(List.of(new Segment(0, 9_000, 1_000), new Segment(2, 0, 6_384), new Segment(3, 0, 100)),
                new RangeMap(t.files()).segments(9_000, 7_484));
        assertEquals(List.of(new Segment(3, 0, 16_384)), new RangeMap(t.files()).segments(16_384, 16_384));
    }

    @Test
    void refusesARangeOutsideTheTorrent() {
        RangeMap map = new RangeMap(Torrents.single("a.bin", 1_000, 16_384, List.of()).files());
        assertThrows(IllegalArgumentException.class, () -> map.segments(900, 101));
        assertThrows(IllegalArgumentException.class, () -> map.segments(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> map.segments(0, 0));
    }
}
