package io.piecework.wire;

import java.util.Map;

/** BEP 10 extension names we speak, and the ids we ask peers to use when sending them to us. */
public final class Extensions {
    public static final String UT_METADATA = "ut_metadata";
    public static final String UT_PEX = "ut_pex";
    /** Our {@code m} dictionary: the ids the decoder dispatches incoming extended messages by. */
    public static final Map<String, Integer> LOCAL_IDS = Map.of(UT_PEX, 1, UT_METADATA, 2);

    private Extensions() {
    }
}
