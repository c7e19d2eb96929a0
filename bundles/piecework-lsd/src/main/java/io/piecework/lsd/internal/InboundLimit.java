package io.piecework.lsd.internal;

/**
 * A token bucket for the datagrams heard, all senders together: a flood on the LAN costs a
 * bounded amount of parsing, and what is over the rate is dropped unread. One second's worth
 * is the burst. Confined to the LSD event loop.
 */
final class InboundLimit {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long at;

    InboundLimit(int perSecond, long now) {
        this.perNano = Math.max(1, perSecond) / 1e9;
        this.burst = Math.max(1, perSecond);
        this.tokens = burst;
        this.at = now;
    }

    boolean allow(long now) {
        tokens = Math.min(burst, tokens + (now - at) * perNano);
        at = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
