package io.piecework.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccessTest {
    @Test
    void theRpcsDefaultsLetLoopbackInWithoutAUser() {
        Access a = Access.of(config("", "", true, "127.0.0.1,::1,0:0:0:0:0:0:0:1"));
        assertEquals(0, a.check("127.0.0.1", null));
        assertEquals(0, a.check("[0:0:0:0:0:0:0:1]", null));
        assertEquals(403, a.check("192.168.1.9", null));
    }

    @Test
    void wildcardsAndAUserAsTheRpcHasThem() {
        Access a = Access.of(config("watcher", "pa:ss", true, "192.168.*"));
        assertEquals(401, a.check("192.168.1.9", null));
        assertEquals(401, a.check("192.168.1.9", basic("watcher", "wrong")));
        assertEquals(401, a.check("192.168.1.9", "Basic %%%not-base64"));
        assertEquals(0, a.check("192.168.1.9", basic("watcher", "pa:ss")));
        assertEquals(0, a.check("192.168.1.9", basic("watcher", "pa:ss").replace("Basic", "basic")));
        assertEquals(403, a.check("10.0.0.1", basic("watcher", "pa:ss")), "the address is checked first");
        assertEquals(0, Access.of(config("", "", false, "192.168.*")).check("10.0.0.1", null), "whitelist off");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static MetricsConfig config(String user, String password, boolean whitelistOn, String whitelist) {
        return new MetricsConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MetricsConfig.class;
            }

            @Override
            public String username() {
                return user;
            }

            @Override
            public String password() {
                return password;
            }

            @Override
            public boolean whitelist_enabled() {
                return whitelistOn;
            }

            @Override
            public String whitelist() {
                return whitelist;
            }
        };
    }
}
