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

    /** File storage's default {@code max.open.files}: at most this many payload files are open at once. */
    static final long OPEN_FILES = 256;

    /**
     * In this process: both ends of each connection (and a listening socket per peer when the
     * engine dials), the calibration's connections, a file per torrent; with {@code --fork}
     * only the engine's end, since the fake peers and their calibration are in the child, and
     * the storage's open files, which its cache bounds.
     */
    static long needed(Options o, long calibration) {
        if (o.fork()) {
            return o.connections() + Math.min(o.torrents(), OPEN_FILES) + MARGIN;
        }
        return (o.inbound() ? 2 : 3) * o.connections() + 2 * calibration + o.torrents() + MARGIN;
    }

    static void check(Options o, long calibration) {
        long max = limit();
        long needed = needed(o, calibration);
        if (max > 0 && needed > max && o.fork()) {
            throw new IllegalArgumentException(o.connections() + " connections need about " + needed
                    + " file descriptors in the engine's process (one per connection, up to " + OPEN_FILES + " open files, "
                    + MARGIN + " for jars, listening sockets and the engine's own), but it may open " + max
                    + ": raise the limit (ulimit -n " + needed + ") or run fewer peers");
        }
        if (max > 0 && needed > max) {
            throw new IllegalArgumentException(o.connections() + " connections need about " + needed
                    + " file descriptors (" + (o.inbound() ? "both ends of each" : "each one a fake peer's listening socket and both ends")
                    + ", one file per torrent), but this process may open " + max
                    + ": raise the limit (ulimit -n " + needed + ")" + (o.inbound() ? "" : " or add --inbound") + " and run again");
        }
    }

    /** Descriptors this process has open now, or -1 when the JVM cannot tell. */
    static long open() {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return unix.getOpenFileDescriptorCount();
            }
        } catch (LinkageError e) {
            // com.sun.management not visible: the count stays unknown.
        }
        return -1;
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
