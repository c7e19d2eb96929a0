package io.piecework.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaxConnectionsOverrideTest {
    @Test
    void loadtestRaisesTheEnginesConnectionLimitOnlyWhenAsked() {
        assertEquals(Optional.of(Map.of("max.connections", 20_000)),
                MaxConnectionsOverride.of(new String[] {"loadtest", "--torrents", "1000", "--max-connections", "20000"}));
        assertEquals(Optional.of(Map.of("max.connections", 800)),
                MaxConnectionsOverride.of(new String[] {"loadtest", "--max-connections=800"}));
        assertEquals(Optional.empty(), MaxConnectionsOverride.of(new String[] {"loadtest", "--torrents", "2"}));
    }

    @Test
    void leavesOtherSubcommandsAndBadValuesAlone() {
        assertEquals(Optional.empty(), MaxConnectionsOverride.of(new String[] {"get", "--max-connections", "9"}));
        assertEquals(Optional.empty(), MaxConnectionsOverride.of(new String[] {"loadtest", "--max-connections", "many"}));
        assertEquals(Optional.empty(), MaxConnectionsOverride.of(new String[] {"loadtest", "--max-connections", "0"}));
        assertEquals(Optional.empty(), MaxConnectionsOverride.of(new String[0]));
    }

    @Test
    void loadtestListensOnLoopbackOnAFreePort() {
        assertEquals(Optional.of(Map.of("listen.address", "127.0.0.1", "listen.port", 0)),
                ListenOverride.of(new String[] {"loadtest"}));
    }
}
