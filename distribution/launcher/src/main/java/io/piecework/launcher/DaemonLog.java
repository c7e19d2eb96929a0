package io.piecework.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The daemon logs to stderr and to {@code daemon.log} in the per-user state folder
 * ({@code $XDG_STATE_HOME/piecework/}, the rule of the API's {@code StateFolder}, asked of the
 * installed API bundle so the launcher does not keep a copy of it). Every line written to
 * stderr (SLF4J Simple's target) goes to both. A log past 10 MiB at start is kept as
 * {@code daemon.log.1} and a new one begun.
 */
final class DaemonLog {
    private static final String API = "io.piecework.api.storage.StateFolder";
    private static final long ROTATE_BYTES = 10L << 20;

    private DaemonLog() {
    }

    /** Tees stderr into the log file; returns it, or null when the state folder cannot be used (said on stderr). */
    static Path start(BundleContext context) {
        try {
            Path log = stateFolder(context).resolve("daemon.log");
            Files.createDirectories(log.getParent());
            if (Files.isRegularFile(log) && Files.size(log) > ROTATE_BYTES) {
                Files.move(log, log.resolveSibling("daemon.log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
            OutputStream file = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.setErr(new PrintStream(new Tee(System.err, file), true));
            return log;
        } catch (Exception e) {
            System.err.println("piecework: logging to stderr only, not to the state folder: " + e);
            return null;
        }
    }

    private static Path stateFolder(BundleContext context) throws Exception {
        for (Bundle b : context.getBundles()) {
            if ("io.piecework.api".equals(b.getSymbolicName())) {
                Method base = b.loadClass(API).getMethod("base");
                return (Path) base.invoke(null);
            }
        }
        throw new IllegalStateException("no piecework-api bundle");
    }

    /** Both streams; a failing log file never silences stderr. */
    private static final class Tee extends OutputStream {
        private final PrintStream err;
        private final OutputStream file;
        private volatile boolean fileBroken;

        Tee(PrintStream err, OutputStream file) {
            this.err = err;
            this.file = file;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            err.write(b, off, len);
            if (!fileBroken) {
                try {
                    file.write(b, off, len);
                } catch (IOException e) {
                    fileBroken = true;
                    err.println("piecework: the log file failed, logging to stderr only: " + e);
                }
            }
        }

        @Override
        public synchronized void flush() {
            err.flush();
            try {
                file.flush();
            } catch (IOException e) {
                fileBroken = true;
            }
        }
    }
}
