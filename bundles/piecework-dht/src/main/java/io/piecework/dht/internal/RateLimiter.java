package io.piecework.dht.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source IP for incoming queries. The map of buckets is an LRU of at most
 * {@code maxSources}: a flood from many addresses forgets the least recent ones (which then
 * start again with a full bucket) instead of growing. Not thread safe: the event loop owns it.
 */
final class RateLimiter {
    private static final class Bucket {
        double tokens;
        long at;
    }

    private final double perNano;
    private final double burst;
    private final Map<InetAddress, Bucket> buckets;

    RateLimiter(int perSecond, int burst, int maxSources) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** Takes one token from the source's bucket; false when it has none. */
    boolean allow(InetAddress source, long now) {
        Bucket b = buckets.get(source);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            b.at = now;
            buckets.put(source, b);
        }
        b.tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
        b.at = now;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    int sources() {
        return buckets.size();
    }
}
