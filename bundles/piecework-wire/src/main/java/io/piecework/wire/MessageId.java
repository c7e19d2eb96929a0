package io.piecework.wire;

/** The one-byte message ids of BEP 3, BEP 5 ({@code port}), BEP 6 and BEP 10. */
public final class MessageId {
    public static final int CHOKE = 0;
    public static final int UNCHOKE = 1;
    public static final int INTERESTED = 2;
    public static final int NOT_INTERESTED = 3;
    public static final int HAVE = 4;
    public static final int BITFIELD = 5;
    public static final int REQUEST = 6;
    public static final int PIECE = 7;
    public static final int CANCEL = 8;
    public static final int PORT = 9;
    public static final int SUGGEST_PIECE = 0x0D;
    public static final int HAVE_ALL = 0x0E;
    public static final int HAVE_NONE = 0x0F;
    public static final int REJECT_REQUEST = 0x10;
    public static final int ALLOWED_FAST = 0x11;
    public static final int EXTENDED = 20;

    private MessageId() {
    }

    static boolean isFast(int id) {
        return id >= SUGGEST_PIECE && id <= ALLOWED_FAST;
    }
}
