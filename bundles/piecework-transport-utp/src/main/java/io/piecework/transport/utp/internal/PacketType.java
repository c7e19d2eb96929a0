package io.piecework.transport.utp.internal;

/** BEP 29 packet types, by their 4-bit code. */
public enum PacketType {
    DATA, FIN, STATE, RESET, SYN;

    private static final PacketType[] BY_CODE = values();

    public int code() {
        return ordinal();
    }

    /** The type for a code, or null if BEP 29 defines none. */
    static PacketType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
