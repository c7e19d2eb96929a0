package io.piecework.rpc.transmission.internal;

/** The engine's rate limits kept in memory, as Config Admin would keep them. */
final class FakeLimits implements SessionLimits {
    volatile Values values = Values.DEFAULTS;

    @Override
    public Values get() {
        return values;
    }

    @Override
    public void set(Values v) {
        values = v;
    }
}
