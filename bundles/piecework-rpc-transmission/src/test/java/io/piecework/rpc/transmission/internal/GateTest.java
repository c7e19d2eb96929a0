package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateTest {
    private static final String SESSION = "abc123";
    private static final String LOCAL = "127.0.0.1";
    private static final Gate OPEN = new Gate(Gate.patterns("127.0.0.1,::1"), "", "", List.of(), SESSION);
    private static final Gate WITH_USER = new Gate(List.of(), "alice", "s3cret", List.of(), SESSION);

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(Gate gate, String client, String auth, String host, String session) {
        Gate.Refusal r = gate.check(client, auth, host, session);
        return r == null ? 200 : r.status();
    }

    @Test
    void aRequestWithoutTheSessionIdGets409CarryingIt() {
        Gate.Refusal r = OPEN.check(LOCAL, null, "localhost:9091", null);
        assertEquals(409, r.status());
        assertEquals(Gate.SESSION_HEADER, r.header());
        assertEquals(SESSION, r.headerValue());
        assertEquals(409, status(OPEN, LOCAL, null, "localhost:9091", "stale"));
        assertEquals(409, status(OPEN, LOCAL, null, "localhost:9091", ""));
        assertNull(OPEN.check(LOCAL, null, "localhost:9091", SESSION));
    }

    @Test
    void basicAuthenticationIsRequiredWhenAUserIsConfigured() {
        Gate.Refusal r = WITH_USER.check(LOCAL, null, "127.0.0.1:9091", SESSION);
        assertEquals(401, r.status());
        assertEquals("WWW-Authenticate", r.header());
        assertEquals("Basic realm=\"Transmission\"", r.headerValue());
        assertEquals(401, status(WITH_USER, LOCAL, basic("alice:wrong"), "127.0.0.1", SESSION));
        assertEquals(401, status(WITH_USER, LOCAL, basic("bob:s3cret"), "127.0.0.1", SESSION));
        assertEquals(401, status(WITH_USER, LOCAL, basic("alice:s3cret:"), "127.0.0.1", SESSION));
        assertEquals(401, status(WITH_USER, LOCAL, basic("alices3cret"), "127.0.0.1", SESSION));
        assertEquals(401, status(WITH_USER, LOCAL, "Basic !!!not-base64", "127.0.0.1", SESSION));
        assertEquals(401, status(WITH_USER, LOCAL, "Bearer " + basic("alice:s3cret").substring(6), "127.0.0.1", SESSION));
        assertEquals(401, status(WITH_USER, LOCAL, "Basic", "127.0.0.1", SESSION));
        assertEquals(200, status(WITH_USER, LOCAL, basic("alice:s3cret"), "127.0.0.1", SESSION));
        assertEquals(200, status(WITH_USER, LOCAL, "basic " + basic("alice:s3cret").substring(6), "127.0.0.1", SESSION));
        // Authentication comes before the session id: a stranger learns no session id.
        assertEquals(401, status(WITH_USER, LOCAL, null, "127.0.0.1", null));
    }

    @Test
    void passwordsMayHoldColons() {
        Gate gate = new Gate(List.of(), "u", "a:b", List.of(), SESSION);
        assertEquals(200, status(gate, LOCAL, basic("u:a:b"), "localhost", SESSION));
    }

    @Test
    void hostNamesOutsideTheWhitelistAreRefusedAgainstDnsRebinding() {
        for (String host : List.of("evil.example", "evil.example:9091", "127.0.0.1.evil.example", "localhost.evil.example",
                "", "[::1", "1.2.3.4.5", "256.1.1.1", "0x7f.0.0.1", "[zz::1]")) {
            assertEquals(421, status(OPEN, LOCAL, null, host, SESSION), host);
        }
        assertEquals(421, status(OPEN, LOCAL, null, null, SESSION));
        for (String host : List.of("localhost", "localhost:9091", "LOCALHOST:9091", "localhost.:9091", "127.0.0.1",
                "127.0.0.1:9091", "192.168.1.20:9091", "[::1]:9091", "[::1]", "[fe80::1]:9091")) {
            assertEquals(200, status(OPEN, LOCAL, null, host, SESSION), host);
        }
    }

    @Test
    void whitelistedHostNamesAndWildcardsPass() {
        Gate gate = new Gate(List.of(), "", "", Gate.patterns("nas.lan, *.home.example"), SESSION);
        assertEquals(200, status(gate, LOCAL, null, "nas.lan:9091", SESSION));
        assertEquals(200, status(gate, LOCAL, null, "NAS.LAN", SESSION));
        assertEquals(200, status(gate, LOCAL, null, "box.home.example:9091", SESSION));
        assertEquals(421, status(gate, LOCAL, null, "nas.lan.evil.example", SESSION));
        assertEquals(421, status(gate, LOCAL, null, "home.example.evil", SESSION));
    }

    @Test
    void theHostCheckCanBeTurnedOff() {
        Gate gate = new Gate(List.of(), "", "", null, SESSION);
        assertEquals(200, status(gate, LOCAL, null, "anything.example", SESSION));
    }

    @Test
    void clientAddressesOutsideTheWhitelistGet403() {
        assertEquals(403, status(OPEN, "10.0.0.5", null, "localhost", SESSION));
        assertEquals(200, status(OPEN, "::1", null, "localhost", SESSION));
        assertEquals(200, status(OPEN, "[::1]", null, "localhost", SESSION));
        Gate lan = new Gate(Gate.patterns("192.168.*.*"), "", "", List.of(), SESSION);
        assertEquals(200, status(lan, "192.168.4.7", null, "localhost", SESSION));
        assertEquals(403, status(lan, "192.169.4.7", null, "localhost", SESSION));
        assertEquals(403, status(lan, null, null, "localhost", SESSION));
        Gate everyone = new Gate(List.of(), "", "", List.of(), SESSION);
        assertEquals(200, status(everyone, "203.0.113.9", null, "localhost", SESSION));
    }

    @Test
    void hostOfStripsThePort() {
        assertEquals("example.org", Gate.hostOf("example.org:80"));
        assertEquals("[::1]", Gate.hostOf("[::1]:9091"));
        assertEquals("", Gate.hostOf("[::1"));
    }
}
