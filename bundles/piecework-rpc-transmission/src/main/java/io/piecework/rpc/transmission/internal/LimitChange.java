package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonObject;

/**
 * One rate limit in a {@code session-set} or {@code torrent-set} request: Transmission's value
 * (KiB/s here: session-get's {@code units} say {@code speed-bytes} 1024) and its on/off switch.
 * Piecework keeps no value while a limit is off (0 is off), so off clears it, a value sets and
 * turns it on, and on alone keeps the current value (refused when there is none).
 */
record LimitChange(String valueKey, Integer kib, String enabledKey, Boolean enabled) {
    /** Larger is refused: it would overflow as bytes per second in the engine's int configuration. */
    static final int MAX_KIB = Integer.MAX_VALUE / 1024;

    /** @param enabledKey null for a value without a switch of its own (alt-speed-down/-up) */
    static LimitChange of(JsonObject args, String valueKey, String enabledKey) throws RpcException {
        Integer kib = null;
        if (args.has(valueKey) && !args.get(valueKey).isJsonNull()) {
            kib = Requests.integer(args.get(valueKey), valueKey);
            if (kib < 0 || kib > MAX_KIB) {
                throw new RpcException(valueKey + " must be between 0 and " + MAX_KIB + " (KiB/s), got " + kib);
            }
        }
        Boolean enabled = enabledKey != null && args.has(enabledKey) && !args.get(enabledKey).isJsonNull()
                ? Requests.bool(args, enabledKey, false) : null;
        return new LimitChange(valueKey, kib, enabledKey, enabled);
    }

    boolean isEmpty() {
        return kib == null && enabled == null;
    }

    /** The new value in KiB/s, from the current one. */
    int apply(int currentKiB) throws RpcException {
        if (Boolean.FALSE.equals(enabled)) {
            return 0;
        }
        if (kib != null) {
            return kib;
        }
        if (Boolean.TRUE.equals(enabled) && currentKiB == 0) {
            throw new RpcException(enabledKey + " needs " + valueKey + ": Piecework keeps no limit while it is off");
        }
        return currentKiB;
    }
}
