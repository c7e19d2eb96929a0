package io.piecework.launcher;

import org.apache.felix.framework.Logger;

/** Felix's own messages go to stdout by default; stdout belongs to the subcommand's output. */
final class StderrLogger extends Logger {
    private static final String[] LEVELS = {"", "ERROR", "WARNING", "INFO", "DEBUG"};

    @Override
    protected void doLogOut(int level, String msg, Throwable throwable) {
        String name = level > 0 && level < LEVELS.length ? LEVELS[level] : "LOG";
        System.err.println("felix " + name + ": " + msg + (throwable == null ? "" : " (" + throwable + ")"));
    }
}
