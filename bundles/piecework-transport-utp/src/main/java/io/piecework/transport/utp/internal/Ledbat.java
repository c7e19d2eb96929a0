package io.piecework.transport.utp.internal;

/**
 * LEDBAT congestion control as BEP 29 describes it: the window grows while the one-way delay
 * our packets see stays under the 100 ms target and shrinks as it rises above, so a uTP
 * transfer gives way to TCP traffic that fills the same queue; a loss halves it, a timeout
 * brings it down to one packet. Like libtorrent, it starts in slow start (the window grows by
 * what is acked, doubling each round trip) until the first loss or until the delay passes half
 * the target: growing by 3000 bytes a round trip from two packets would take hundreds of round
 * trips to fill a fast link.
 *
 * <p>The delay is what the peer measured (its {@code timestamp_difference}) minus the lowest
 * such measurement seen lately, the base delay, which absorbs the two clocks' offset. The base
 * is the minimum over the last two minutes, kept as two one-minute minimums so a clock drift or
 * route change ages out.
 */
final class Ledbat {
    static final int TARGET_MICROS = 100_000;
    /** The most the window grows in one round trip, in bytes (BEP 29's MAX_CWND_INCREASE). */
    static final int MAX_INCREASE_PER_RTT = 3000;
    static final int MIN_WINDOW = 150;
    private static final long MINUTE_MICROS = 60_000_000L;

    private final int maxWindow;
    private double window;
    private long minuteStart;
    private boolean sampled;
    private long currentMinuteBase = Long.MAX_VALUE;
    private long previousMinuteBase = Long.MAX_VALUE;
    private long lastDelay;
    private boolean slowStart = true;

    Ledbat(int initialWindow, int maxWindow) {
        this.window = initialWindow;
        this.maxWindow = maxWindow;
    }

    /** The congestion window in bytes. */
    int window() {
        return (int) window;
    }

    /** A {@code timestamp_difference} the peer reported; 0 means it has none yet and is ignored. */
    void delaySample(int differenceMicros, long nowMicros) {
        if (differenceMicros == 0) {
            return;
        }
        long sample = differenceMicros & 0xFFFF_FFFFL;
        if (!sampled || nowMicros - minuteStart >= MINUTE_MICROS) {
            sampled = true;
            previousMinuteBase = currentMinuteBase;
            currentMinuteBase = Long.MAX_VALUE;
            minuteStart = nowMicros;
        }
        currentMinuteBase = Math.min(currentMinuteBase, sample);
        lastDelay = sample;
    }

    /** The queuing delay our packets see now: the last sample over the base, 0 with no samples. */
    long queuingDelayMicros() {
        long base = Math.min(currentMinuteBase, previousMinuteBase);
        return base == Long.MAX_VALUE ? 0 : lastDelay - base;
    }

    /** {@code ackedBytes} left the network; {@code flightBytes} were in it before they did. */
    void acked(int ackedBytes, int flightBytes) {
        if (slowStart && queuingDelayMicros() > TARGET_MICROS / 2) {
            slowStart = false;
        }
        if (slowStart) {
            window = Math.min(maxWindow, window + ackedBytes);
            return;
        }
        double offTarget = (TARGET_MICROS - (double) queuingDelayMicros()) / TARGET_MICROS;
        double windowFactor = Math.min(ackedBytes, window) / Math.max(window, Math.max(ackedBytes, flightBytes));
        window += MAX_INCREASE_PER_RTT * offTarget * windowFactor;
        window = Math.max(MIN_WINDOW, Math.min(maxWindow, window));
    }

    /** A packet was lost (three later ones acked, or three duplicate ACKs). */
    void lost() {
        slowStart = false;
        window = Math.max(MIN_WINDOW, window / 2);
    }

    /** Nothing came back within the timeout: start again from one packet. */
    void timedOut(int packetBytes) {
        slowStart = false;
        window = Math.max(MIN_WINDOW, packetBytes);
    }
}
