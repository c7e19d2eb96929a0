package io.piecework.transport.utp.internal;

/** Round-trip time and its variance, and the timeout BEP 29 derives from them. */
final class Rtt {
    static final long MIN_TIMEOUT_MICROS = 500_000;
    /** Before the first sample (the SYN's wait), as libtorrent. */
    static final long INITIAL_TIMEOUT_MICROS = 1_000_000;

    private long rtt = -1;
    private long variance;

    void sample(long micros) {
        if (rtt < 0) {
            rtt = micros;
            variance = micros / 2;
            return;
        }
        long delta = rtt - micros;
        variance += (Math.abs(delta) - variance) / 4;
        rtt += (micros - rtt) / 8;
    }

    long timeoutMicros() {
        return rtt < 0 ? INITIAL_TIMEOUT_MICROS : Math.max(rtt + 4 * variance, MIN_TIMEOUT_MICROS);
    }
}
