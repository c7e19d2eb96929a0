package io.piecework.loadtest.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Refuses a run the process's file-descriptor limit cannot hold, before anything is opened:
 * each connection costs three (the fake peer's listening socket and both ends), and 1000 x 20
 * is 60,000 where many systems allow 1,024 or 20,000 by default.
 */
final class Descriptors {
    /** Jars, the framework, storage files, the engine's own sockets. */
    private static final long MARGIN = 1_024;

    private Descriptors() {
    }

    static long needed(long connections, long calibration) {
        return 3 * connections + 2 * calibration + MARGIN;
    }

    static void check(long connections, long calibration) {
        long max = limit();
        long needed = needed(connections, calibration);
        if (max > 0 && needed > max) {
            throw new IllegalArgumentException(connections + " connections need about " + needed
                    + " file descriptors (each one a fake peer's listening socket and both ends), but this process may open "
                    + max + ": raise the limit (ulimit -n " + needed + ") and run again");
        }
    }

    /** The limit, or -1 when the JVM cannot tell (then the run just tries). */
    static long limit() {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return unix.getMaxFileDescriptorCount();
            }
        } catch (LinkageError e) {
            // com.sun.management not visible: the limit stays unknown.
        }
        return -1;
    }
}
