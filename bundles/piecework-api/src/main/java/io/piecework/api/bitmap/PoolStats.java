package io.piecework.api.bitmap;

/**
 * A snapshot of a pool's counters since it started.
 *
 * @param acquired  leases handed out
 * @param released  leases returned
 * @param hits      acquisitions served by a pooled bitmap
 * @param misses    acquisitions that created a new bitmap
 * @param dropped   released bitmaps not kept because the pool was full (by count or bytes)
 * @param corrupted pooled bitmaps found changed after release (someone wrote through a stale
 *                  reference); they are dropped, never lent out again
 * @param inUse     leases not yet returned
 * @param idle      bitmaps waiting in the pool
 * @param bytesHeld estimated bytes of the idle bitmaps the pool keeps alive
 */
public record PoolStats(long acquired, long released, long hits, long misses, long dropped,
                        long corrupted, long inUse, int idle, long bytesHeld) {
}
