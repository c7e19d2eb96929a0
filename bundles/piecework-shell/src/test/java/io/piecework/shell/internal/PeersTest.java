package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeersTest {
    @Test
    void parsesHostPortAndBracketedIpv6() throws Exception {
        assertEquals(new InetSocketAddress("127.0.0.1", 6881), Peers.parse("127.0.0.1:6881"));
        assertEquals(new InetSocketAddress("::1", 51413), Peers.parse("[::1]:51413"));
    }

    @Test
    void rejectsMissingOrBadPortsAsBadInputWithoutUsage() {
        for (String bad : new String[] {"localhost", "127.0.0.1:", ":80", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x", "::1:80"}) {
            CliException e = assertThrows(CliException.class, () -> Peers.parse(bad), bad);
            assertEquals(CliException.BAD_INPUT, e.status(), bad);
            assertTrue(!e.usage(), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void acceptsPortsFromZeroTo65535() throws Exception {
        assertEquals(0, Peers.port("0", "--port"));
        assertEquals(65535, Peers.port("65535", "--port"));
        assertThrows(CliException.class, () -> Peers.port("-1", "--port"));
        assertThrows(CliException.class, () -> Peers.port("65536", "--port"));
    }

    @Test
    void dhtBootstrapNodesAreIpv4HostPortsNamedAsTheOptionInErrors() throws Exception {
        assertEquals(java.util.List.of(new InetSocketAddress("127.0.0.1", 6881)),
                Peers.dhtBootstrap(java.util.List.of("127.0.0.1:6881")));
        for (String bad : new String[] {"localhost", "127.0.0.1:0", "127.0.0.1:x", "[::1]:6881"}) {
            CliException e = assertThrows(CliException.class, () -> Peers.dhtBootstrap(java.util.List.of(bad)), bad);
            assertEquals(CliException.BAD_INPUT, e.status(), bad);
            assertTrue(e.getMessage().startsWith("bad --dht-bootstrap '" + bad + "'"), e.getMessage());
        }
    }
}
