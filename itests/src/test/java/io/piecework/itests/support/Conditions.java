package io.piecework.itests.support;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for state that nothing announces: SCR's bindings, a strategy swapped by
 * configuration, a server that is up. Hand-written rather than Awaitility because the Pax Exam
 * tests run it inside Felix, where no Awaitility bundle is provisioned.
 */
public final class Conditions {
    private static final long POLL_MILLIS = 20;

    private Conditions() {
    }

    /** Whether {@code condition} held within {@code millis}, checked every 20 ms. */
    public static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** Waits until {@code condition} holds, or fails naming {@code what}. */
    public static void await(long millis, BooleanSupplier condition, String what) throws InterruptedException {
        if (!within(millis, condition)) {
            throw new AssertionError("not within " + millis + " ms: " + what);
        }
    }
}
