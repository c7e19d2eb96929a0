package io.piecework.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerIdTest {
    @Test
    void generatedIdsCarryTheClientPrefix() {
        PeerId id = PeerId.generate(new Random(1));
        assertEquals("-PW0001-", id.clientPrefix());
        assertEquals(20, id.bytes().length);
        assertNotEquals(id, PeerId.generate(new Random(2)));
    }
}
