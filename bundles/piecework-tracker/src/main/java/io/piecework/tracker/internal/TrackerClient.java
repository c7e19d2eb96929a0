package io.piecework.tracker.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.tracker.AnnounceRequest;
import io.piecework.tracker.AnnounceResponse;
import io.piecework.tracker.ScrapeStats;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One tracker protocol. Futures fail with {@link io.piecework.tracker.TrackerException} (or an
 * I/O or timeout exception), never hang: every exchange is bounded.
 */
interface TrackerClient {
    CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest request);

    CompletableFuture<Map<InfoHash, ScrapeStats>> scrape(URI tracker, List<InfoHash> hashes);
}
