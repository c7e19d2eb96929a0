package io.piecework.api.engine;

/** Engine-wide totals, summed from the torrents' snapshots. */
public record EngineStats(int torrents, int peers, long downloaded, long uploaded, long downloadRate,
                          long uploadRate) {
}
