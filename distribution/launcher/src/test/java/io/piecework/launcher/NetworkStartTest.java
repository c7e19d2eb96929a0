package io.piecework.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

class NetworkStartTest {
    /** Which thread started each fake bundle. */
    private final Map<String, Thread> startedBy = new ConcurrentHashMap<>();
    /** Counted down by every fake bundle's start. */
    private final CountDownLatch anyStart = new CountDownLatch(3);

    /** A bundle that notes its start, waits for {@code gate} first and fails if {@code fails}. */
    private Bundle bundle(String name, CountDownLatch gate, boolean fails) {
        return (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "start" -> {
                        assertTrue(gate.await(30, TimeUnit.SECONDS));
                        if (fails) {
                            throw new BundleException(name + " cannot start");
                        }
                        startedBy.put(name, Thread.currentThread());
                        anyStart.countDown();
                        yield null;
                    }
                    case "getSymbolicName" -> name;
                    case "getState" -> Bundle.ACTIVE;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void thePeerSourcesStartOnAThreadOfTheirOwnAfterTheRest() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        // The late bundle is held until the subcommand has gone on: run() must not wait for it.
        CountDownLatch lateGate = new CountDownLatch(1);
        Bundle framework = bundle("system", open, false);
        NetworkStart start = new NetworkStart(framework,
                List.of(bundle("core", open, false), bundle("wire", open, false)),
                List.of(bundle("dht", lateGate, false)));
        start.run();
        assertEquals(Thread.currentThread(), startedBy.get("core"));
        assertEquals(Thread.currentThread(), startedBy.get("wire"));
        assertTrue(!startedBy.containsKey("dht"), "run() returned before the late bundle could start");
        lateGate.countDown();
        assertTrue(anyStart.await(30, TimeUnit.SECONDS), "the late bundle started");
        assertNotEquals(Thread.currentThread(), startedBy.get("dht"));
        start.run(); // a second run does nothing
        assertEquals(3, startedBy.size());
    }

    @Test
    void aBundleOfTheFirstGroupThatFailsFailsTheRun() {
        CountDownLatch open = new CountDownLatch(0);
        NetworkStart start = new NetworkStart(bundle("system", open, false),
                List.of(bundle("core", open, true)), List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, start::run);
        assertTrue(e.getMessage().contains("could not start core"), e.getMessage());
    }
}
