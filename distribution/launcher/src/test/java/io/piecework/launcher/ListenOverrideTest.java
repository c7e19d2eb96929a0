package io.piecework.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListenOverrideTest {
    @Test
    void getAndSeedPutTheDhtOnTheirPortToo() {
        String[] get = {"get", "x.torrent", "--port", "7001"};
        Map<String, Object> listen = ListenOverride.of(get).orElseThrow();
        assertEquals(Map.of("listen.port", 7001), listen);
        assertEquals(Optional.of(Map.of("port", 7001)), ListenOverride.dht(get, listen));
        String[] seed = {"seed", "x.torrent", "--data", "d", "--port=0"};
        assertEquals(Optional.of(Map.of("port", 0)), ListenOverride.dht(seed, ListenOverride.of(seed).orElseThrow()));
    }

    @Test
    void otherRunsKeepTheDhtsConfiguredPort() {
        String[] demo = {"demo"};
        assertEquals(Optional.empty(), ListenOverride.dht(demo, ListenOverride.of(demo).orElseThrow()));
        String[] get = {"get", "x.torrent"};
        assertEquals(Optional.empty(), ListenOverride.of(get));
    }
}
