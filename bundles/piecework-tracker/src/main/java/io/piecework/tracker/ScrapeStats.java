package io.piecework.tracker;

/**
 * One torrent's line of a scrape (BEP 48, BEP 15); -1 where the tracker left a count out.
 *
 * @param seeders    peers that have the whole torrent ({@code complete})
 * @param completed  downloads ever completed ({@code downloaded})
 * @param leechers   peers still downloading ({@code incomplete})
 */
public record ScrapeStats(long seeders, long completed, long leechers) {
}
