package io.piecework.shell.internal;

import java.util.List;

/**
 * One {@code bin/piecework} subcommand. Each is its own DS component providing this
 * interface with {@link #PROPERTY} set to its name, so adding one (get, seed, ...) is one
 * class that declares the services it needs; the runner and the Gogo commands pick it up.
 */
public interface Subcommand {
    /** Service property carrying {@link #name()}, for target filters. */
    String PROPERTY = "piecework.subcommand";

    String name();

    /** The arguments after the name, for the usage line: {@code "FILE.torrent"}. */
    String usage();

    /** One line for {@code piecework help}. */
    String summary();

    /**
     * Runs with the arguments after the name. Throws {@link CliException} for bad usage or
     * input; any other exception is sorted by {@link Failures#classify}.
     */
    void run(List<String> args, Io io) throws Exception;
}
