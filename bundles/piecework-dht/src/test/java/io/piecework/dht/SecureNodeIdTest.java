package io.piecework.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecureNodeIdTest {
    /** BEP 42's test vectors: address, the example id (only its first 21 bits and last byte count). */
    private static final String[][] VECTORS = {
        {"124.31.75.21", "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401"},
        {"21.75.31.124", "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256"},
        {"65.23.51.170", "a5d43220bc8f112a3d426c84764f8c2a1150e616"},
        {"84.124.73.14", "1b0321dd1bb1fe518101ceef99462b947a01ff41"},
        {"43.213.53.83", "e56f6cbf5b7c4be0237986d5243b87aa6d51305a"},
    };

    @Test
    void theBepsExampleIdsMatchTheirAddressesAndNoOther() throws Exception {
        for (String[] v : VECTORS) {
            NodeId id = NodeId.of(HexFormat.of().parseHex(v[1]));
            assertTrue(SecureNodeId.matches(id, InetAddress.getByName(v[0])), v[0]);
            assertFalse(SecureNodeId.matches(id, InetAddress.getByName("8.8.8.8")), v[0] + " as 8.8.8.8");
        }
    }

    @Test
    void generatedIdsMatchTheirAddressBothFamilies() throws Exception {
        Random random = new Random(42);
        for (String address : new String[] {"124.31.75.21", "203.0.113.7", "2001:db8:1234:5678::1"}) {
            InetAddress a = InetAddress.getByName(address);
            for (int i = 0; i < 50; i++) {
                assertTrue(SecureNodeId.matches(SecureNodeId.generate(a, random), a), address);
            }
        }
        NodeId v4 = SecureNodeId.generate(InetAddress.getByName("124.31.75.21"), random);
        assertFalse(SecureNodeId.matches(v4, InetAddress.getByName("21.75.31.124")));
    }

    @Test
    void aRandomIdRarelyMatchesAPublicAddress() throws Exception {
        Random random = new Random(7);
        InetAddress a = InetAddress.getByName("198.51.100.20");
        int matched = 0;
        for (int i = 0; i < 10_000; i++) {
            matched += SecureNodeId.matches(NodeId.random(random), a) ? 1 : 0;
        }
        assertTrue(matched < 10, matched + " of 10000 random ids matched: 21 bits should make it about 1 in 2 million");
    }

    @Test
    void localAddressesAreExempt() throws Exception {
        NodeId any = NodeId.random(new Random(1));
        for (String local : new String[] {"10.1.2.3", "172.16.0.9", "172.31.255.1", "192.168.1.1", "169.254.3.4",
                "127.0.0.1", "::1", "fe80::1", "fd00::5"}) {
            assertTrue(SecureNodeId.exempt(InetAddress.getByName(local)), local);
            assertTrue(SecureNodeId.matches(any, InetAddress.getByName(local)), local);
        }
        for (String global : new String[] {"172.32.0.1", "8.8.8.8", "2001:db8::1"}) {
            assertFalse(SecureNodeId.exempt(InetAddress.getByName(global)), global);
        }
        assertEquals(false, SecureNodeId.matches(any, InetAddress.getByName("8.8.8.8")));
    }
}
