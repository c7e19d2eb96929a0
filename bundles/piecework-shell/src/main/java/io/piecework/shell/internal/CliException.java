package io.piecework.shell.internal;

/**
 * A failure meant for the user: a one-line message and the process exit status.
 * {@link #usage()} asks the runner to print the subcommand's usage after the message.
 */
public final class CliException extends Exception {
    /** The operation failed (I/O error, missing service, bug). */
    public static final int FAILED = 1;
    /** Bad input or usage: nothing was done. */
    public static final int BAD_INPUT = 2;

    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean usage;

    private CliException(int status, String message, boolean usage) {
        super(message);
        this.status = status;
        this.usage = usage;
    }

    public static CliException usage(String message) {
        return new CliException(BAD_INPUT, message, true);
    }

    public static CliException badInput(String message) {
        return new CliException(BAD_INPUT, message, false);
    }

    public static CliException failed(String message) {
        return new CliException(FAILED, message, false);
    }

    public int status() {
        return status;
    }

    public boolean usage() {
        return usage;
    }
}
