package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.junit.jupiter.api.Test;

/** The Whiteboard context's handleSecurity: the RPC's address, user and Host checks for every servlet in it. */
class AccessContextTest {
    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<String, String> sentHeaders = new HashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status;

    private boolean admitted(TestConfig config, String client, String host, String authorization) throws Exception {
        return new AccessContext((Bundle) null, config).handleSecurity(request(client, host, authorization), response());
    }

    @Test
    void aForeignHostNameIsRefusedWith421AsTheRpcDoes() throws Exception {
        assertFalse(admitted(new TestConfig(), "127.0.0.1", "rebind.evil.example:9091", null));
        assertEquals(421, status);
        assertTrue(body.toString(StandardCharsets.UTF_8).contains("DNS rebinding"));
        assertTrue(admitted(new TestConfig(), "127.0.0.1", "localhost:9091", null));
        assertTrue(admitted(new TestConfig(), "127.0.0.1", "[::1]:9091", null));
        TestConfig named = new TestConfig();
        named.hostWhitelist = "*.home.example";
        assertTrue(admitted(named, "127.0.0.1", "box.home.example:9091", null));
        named.hostWhitelistEnabled = false;
        assertTrue(admitted(named, "127.0.0.1", "rebind.evil.example", null));
    }

    @Test
    void aConfiguredUserIsRequiredAndNamedToTheServlet() throws Exception {
        TestConfig config = new TestConfig();
        config.username = "alice";
        config.password = "pw";
        assertFalse(admitted(config, "127.0.0.1", "localhost", null));
        assertEquals(401, status);
        assertEquals("Basic realm=\"Transmission\"", sentHeaders.get("WWW-Authenticate"));
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8));
        assertTrue(admitted(config, "127.0.0.1", "localhost", basic));
        assertEquals("alice", attributes.get(ServletContextHelper.REMOTE_USER));
        assertEquals("BASIC", attributes.get(ServletContextHelper.AUTHENTICATION_TYPE));
    }

    @Test
    void anAddressOutsideTheWhitelistIsRefusedFirst() throws Exception {
        TestConfig config = new TestConfig();
        config.whitelist = "10.*";
        assertFalse(admitted(config, "127.0.0.1", "rebind.evil.example", null));
        assertEquals(403, status);
        assertTrue(admitted(config, "10.1.2.3", "10.0.0.1:9091", null));
    }

    private HttpServletRequest request(String client, String host, String authorization) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", host);
        headers.put("Authorization", authorization);
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> client;
                    case "getHeader" -> headers.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getContentLengthLong" -> 0L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private HttpServletResponse response() {
        jakarta.servlet.ServletOutputStream out = new jakarta.servlet.ServletOutputStream() {
            @Override public boolean isReady() { return true; }
            @Override public void setWriteListener(jakarta.servlet.WriteListener listener) { }
            @Override public void write(int b) { body.write(b); }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> status = (Integer) args[0];
                        case "setHeader" -> sentHeaders.put((String) args[0], (String) args[1]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "setContentType", "setContentLength" -> { }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}
