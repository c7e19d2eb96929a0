package io.piecework.loadtest.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Refuses a run the process's file-descriptor limit cannot hold, before anything is opened:
 * each connection costs three when the engine dials (the fake peer's listening socket and
 * both ends) or two when the peers dial, so 1000 x 20 needs 40,000 to 60,000 where many
 * systems allow 1,024 or 20,000.
 */
final class Descriptors {
    /** Jars, the framework, the engine's own sockets; storage files come on top, one per torrent. */
    private static final long MARGIN = 512;

    private Descriptors() {
    }

    static long needed(Options o, long calibration) {
        return (o.inbound() ? 2 : 3) * o.connections() + 2 * calibration + o.torrents() + MARGIN;
    }

    static void check(Options o, long calibration) {
        long max = limit();
        long needed = needed(o, calibration);
        if (max > 0 && needed > max) {
            throw new IllegalArgumentException(o.connections() + " connections need about " + needed
                    + " file descriptors (" + (o.inbound() ? "both ends of each" : "each one a fake peer's listening socket and both ends")
                    + ", one file per torrent), but this process may open " + max
                    + ": raise the limit (ulimit -n " + needed + ")" + (o.inbound() ? "" : " or add --inbound") + " and run again");
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
